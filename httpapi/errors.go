package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/govshare/govshare"
)

// ErrorBody is the body of every error response: the stable code, the
// message in Chinese and in English, and the rule the error enforces
// (empty when none). It is govshare.MessageOf(err) with the citation
// always present.
type ErrorBody struct {
	// Code is the most specific stable code, e.g. request.forbidden.
	Code string `json:"code"`
	// Zh and En are the message in Chinese and in English.
	Zh string `json:"message_zh"`
	En string `json:"message_en"`
	// Citation is the rule the error enforces; zero when none.
	Citation govshare.Citation `json:"citation"`
}

// bodyOf returns the body of err as a client is told it.
func bodyOf(err error) ErrorBody {
	m := govshare.MessageOf(err)
	return ErrorBody{Code: m.Code, Zh: m.Zh, En: m.En, Citation: m.Citation}
}

var (
	errNoRoute = &govshare.CodedError{Kind: govshare.ErrNotFound, Code: "httpapi.no_route",
		Zh: "没有这个接口", En: "httpapi: no such route"}
	errMethod = &govshare.CodedError{Kind: govshare.ErrMalformed, Code: "httpapi.method_not_allowed",
		Zh: "该接口不支持此请求方法", En: "httpapi: method not allowed on this route"}
	errInternal = ErrorBody{Code: "internal", Zh: "服务器内部错误，详情已记入服务器日志",
		En: "internal server error; the details are in the server's log"}
	errCorrupt = ErrorBody{Code: "corrupt", Zh: "存储的数据未通过完整性校验，详情已记入服务器日志",
		En: "stored data failed an integrity check; the details are in the server's log"}
)

// fail sends err with the one status of its kind. A body over its limit is
// 413; an error the handler cannot explain to a client (500: internal or
// corrupt) is logged and sent without its details.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = &govshare.CodedError{Kind: govshare.ErrTooLarge, Code: "httpapi.body_too_large",
			Zh:       fmt.Sprintf("请求内容超过%d字节", mbe.Limit),
			En:       fmt.Sprintf("httpapi: the request body is larger than %d bytes", mbe.Limit),
			Citation: govshare.PolicyDefault("httpapi.Limits")}
	}
	status := govshare.HTTPStatus(err)
	body := bodyOf(err)
	switch {
	case errors.Is(err, errMethod):
		status = http.StatusMethodNotAllowed
	case status >= 500 && status != http.StatusServiceUnavailable:
		h.cfg.errLog.Error("httpapi: request failed", "method", r.Method, "path", r.URL.Path, "status", status, "error", err)
		body = errInternal
		if errors.Is(err, govshare.ErrCorrupt) {
			body = errCorrupt
		}
		if status == http.StatusGatewayTimeout {
			status = http.StatusServiceUnavailable
		}
	}
	writeJSON(w, status, body)
}

// writeJSON sends v as JSON. Responses carry applications and audit
// records, so nothing may cache them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(errInternal)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func malformed(code, zh, en string, cause error) error {
	return &govshare.CodedError{Kind: govshare.ErrMalformed, Code: "httpapi." + code, Zh: zh, En: "httpapi: " + en, Err: cause}
}

// readBody reads a JSON request body of at most limit bytes. A body that
// is not declared JSON is refused, which also keeps an HTML form on
// another site from posting commands with a browser's cookies.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); !isJSON(ct) {
		return nil, malformed("content_type", "请求内容须为 JSON（Content-Type: application/json）",
			"the request body must be JSON (Content-Type: application/json)", nil)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, err
	}
	return data, nil
}

func isJSON(ct string) bool {
	for i := 0; i < len(ct); i++ {
		if ct[i] == ';' {
			ct = ct[:i]
			break
		}
	}
	for len(ct) > 0 && ct[len(ct)-1] == ' ' {
		ct = ct[:len(ct)-1]
	}
	return equalFold(ct, "application/json")
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// decodeStrict decodes one JSON value into v, refusing unknown members and
// trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return malformed("invalid_json", "请求内容不是有效的 JSON 或字段无效："+err.Error(), "invalid JSON body: "+err.Error(), err)
	}
	if dec.More() {
		return malformed("invalid_json", "JSON 之后还有多余内容", "data after the JSON value", nil)
	}
	return nil
}

// queryInt reads a non-negative integer query parameter, def when absent.
func queryInt(r *http.Request, name string, def, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, malformed("invalid_query", fmt.Sprintf("查询参数 %s 应为 0 到 %d 之间的整数", name, max),
			fmt.Sprintf("query parameter %s must be an integer from 0 to %d", name, max), nil)
	}
	return n, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
