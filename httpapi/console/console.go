package console

import (
	"bytes"
	"embed"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"time"

	"github.com/govshare/govshare"
)

//go:embed static
var static embed.FS

// Config is what the page is told about its deployment, served as
// /config.json beside the files.
type Config struct {
	// Demo lists the actors of the demo picker with their public tokens
	// (govshare serve --demo). Leave it empty in a real deployment: the
	// host's authentication supplies the actor.
	Demo []DemoActor `json:"demo,omitempty"`
	// Token offers a field for a bearer token the user pastes (govshare
	// serve --tokens). Leave it unset when the host authenticates by its
	// own session.
	Token bool `json:"token,omitempty"`
}

// DemoActor is one actor of the demo picker.
type DemoActor struct {
	// Token is the public demo token the console sends for the actor.
	Token string `json:"token"`
	// Actor is who the token stands for, as the page shows it.
	Actor govshare.Actor `json:"actor"`
}

// FS returns the console's files and /config.json, for
// httpapi.WithStatic. A demo actor without a token or without an id and a
// role is an error matching govshare.ErrInvalid.
func FS(cfg Config) (fs.FS, error) {
	for _, d := range cfg.Demo {
		if d.Token == "" || d.Actor.ID == "" || !d.Actor.Role.Valid() {
			return nil, &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "console.invalid_config",
				Zh: "演示用户须有令牌、标识和角色", En: "console: a demo actor needs a token, an id and a role"}
		}
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	return overlay{base: sub, name: "config.json", data: data}, nil
}

// Handler returns FS(cfg) served with the headers the page wants: no
// framing, no sniffing, and a content security policy that allows only the
// page's own scripts, styles and API.
func Handler(cfg Config) (http.Handler, error) {
	fsys, err := FS(cfg)
	if err != nil {
		return nil, err
	}
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		files.ServeHTTP(w, r)
	}), nil
}

// CSP is the content security policy of the page; index.html carries it
// too, in a meta element, for hosts that serve FS without Handler.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// overlay is base with one more file at its root.
type overlay struct {
	base fs.FS
	name string
	data []byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if name == o.name {
		return &memFile{Reader: bytes.NewReader(o.data), info: memInfo{name: name, size: int64(len(o.data))}}, nil
	}
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return o.base.Open(name)
}

// memFile is the overlay's file: a reader that seeks, as http.FileServer
// wants for ranges.
type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.ReadSeeker = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
