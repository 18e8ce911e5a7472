package catalog

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// DefaultIDPattern is the default shape of a 目录代码. It follows the
// structure of the 信息资源代码 in 《政务信息资源目录编制指南（试行）》
// (发改高技〔2017〕1272号): a classification code of 类 (1 digit: 1 基础,
// 2 主题, 3 部门 — the resource-attribute classes), 项 (2 digits), 目 (3
// digits) and an optional 细目, then a sequence code (顺序码).
//
// The guide fixes the lengths of 类, 项 and 目 but leaves the 细目 and the
// sequence code open, and we could not check its exact text for how the
// two parts are written together. So the rest is a policy default: the
// 细目 is up to 12 digits, the parts are joined by "/" as many provincial
// catalog standards write them, and the sequence code is 1 to 12 digits,
// e.g. "101001/000123" or "301001001/42". Hosts whose platform uses
// another layout pass their own pattern with WithIDPattern.
var DefaultIDPattern = regexp.MustCompile(`^[1-3][0-9]{2}[0-9]{3}[0-9]{0,12}/[0-9]{1,12}$`)

// Policy is a grading policy (数据分类分级, R16) that Validate consults:
// given an entry's classification, share attribute, methods and items it
// returns findings, each with the path of the field concerned ("share",
// "items[3].kind"). classify's policies implement it; hosts may write
// their own.
type Policy interface {
	Check(classify.Subject) []govshare.Finding
}

// Option configures Validate, the importers, the exporters and a
// MemoryStore. Each option says where it applies:
//
//	option                  Validate  importers  NewMemoryStore  exporters, Template
//	WithPolicy              yes       yes        yes (Publish)   no
//	WithIDPattern           yes       yes        yes (Put)       no
//	WithAllowedCreditCodes  yes       yes        yes (Publish)   no
//	WithRegistry            yes       yes        yes             yes
//	WithMethods             yes       yes        yes             yes
//	WithLimits              no        yes        no              no
//	WithClock               no        no         yes             no
//
// A nil Option is ignored. An option given a value it cannot use, or
// passed where it does not apply, makes NewMemoryStore, an importer or an
// exporter fail with an error matching govshare.ErrInvalid, and makes
// Validate return a single finding CodeInvalidOption: nothing is checked
// with a configuration other than the one asked for.
type Option func(*config) error

// WithPolicy makes validation consult a grading policy, e.g.
// classify.NationalDefault(). Default (and with nil): no policy, only the
// regulation's and the fields' rules.
func WithPolicy(p Policy) Option {
	return func(c *config) error {
		if err := c.needs("WithPolicy", useValidate); err != nil {
			return err
		}
		c.policy = p
		return nil
	}
}

// WithIDPattern replaces the pattern a 目录代码 must match. Default (and
// with nil): DefaultIDPattern.
func WithIDPattern(re *regexp.Regexp) Option {
	return func(c *config) error {
		if err := c.needs("WithIDPattern", useValidate); err != nil {
			return err
		}
		if re != nil {
			c.idPattern = re
		}
		return nil
	}
}

// WithAllowedCreditCodes accepts these 统一社会信用代码 as they are: early
// pilot codes that fail the GB 32100-2015 check character but are legal.
// Each must otherwise have the code's structure (18 characters of the
// code's set, characters 3–8 digits); anything else is refused. Default:
// none. Given several times, the codes add up.
func WithAllowedCreditCodes(codes ...string) Option {
	return func(c *config) error {
		if err := c.needs("WithAllowedCreditCodes", useValidate); err != nil {
			return err
		}
		for _, code := range codes {
			if !pilotCode(code) {
				return optionError("WithAllowedCreditCodes",
					fmt.Sprintf("“%s”不具有统一社会信用代码的结构（18位，第3–8位为数字）", code),
					fmt.Sprintf("%q does not have the structure of a unified social credit code (18 characters, 3–8 digits)", code))
			}
		}
		c.allow = append(c.allow, codes...)
		return nil
	}
}

// pilotCode reports whether code is a 统一社会信用代码 but for its check
// character: with the right check character in its place it is valid,
// and its own check character is one of the code's characters (checked by
// computing a check character over the last 17).
func pilotCode(code string) bool {
	if len(code) != 18 {
		return false
	}
	want, err := govshare.CreditCodeCheck(code[:17])
	if err != nil || govshare.ValidateCreditCode(code[:17]+string(want)) != nil {
		return false
	}
	_, err = govshare.CreditCodeCheck(code[1:])
	return err == nil
}

// WithRegistry checks and parses data categories (数据分类) against r, a
// registry the host built with classify.NewRegistry and its own Register
// calls. Default (and with nil): the default sectors of
// classify.NewRegistry, in a registry nothing registers into.
func WithRegistry(r *classify.Registry) Option {
	return func(c *config) error {
		if r != nil {
			c.registry = r
		}
		return nil
	}
}

// WithMethods checks and parses share methods (共享方式, R13) against r, a
// registry the host built with govshare.NewMethods and its own Register
// calls. Default (and with nil): the three methods of R13.
func WithMethods(r *govshare.Methods) Option {
	return func(c *config) error {
		if r != nil {
			c.methodReg = r
		}
		return nil
	}
}

// WithClock gives a MemoryStore the clock that stamps UpdatedAt and
// PublishedAt; tests pass a fixed one. Default (and with nil): time.Now.
// It applies to NewMemoryStore only.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if err := c.needs("WithClock", useStore); err != nil {
			return err
		}
		c.now = now
		return nil
	}
}

// standardMethods is the registry used without WithMethods, and
// standardCategories the one used without WithRegistry; they are not
// exported, so nothing registers into them.
var (
	standardMethods    = govshare.NewMethods()
	standardCategories = classify.NewRegistry()
)

// use says what a configuration is for, and so which options apply.
type use uint8

const (
	useValidate use = 1 << iota // Validate, the importers and a store's Put and Publish
	useStore                    // NewMemoryStore
	useImport                   // the importers
)

// The uses of the package's functions.
const (
	forValidate     = useValidate
	forImport       = useValidate | useImport
	forStore        = useValidate | useStore
	forExport   use = 0
)

type config struct {
	use       use
	methodReg *govshare.Methods
	policy    Policy
	idPattern *regexp.Regexp
	allow     []string
	registry  *classify.Registry
	now       func() time.Time
	limits    Limits // zero: DefaultLimits
	// ctx carries the config to the validator's custom functions.
	ctx context.Context
	// known holds the categories the registry accepted.
	known sync.Map
}

// needs refuses an option that does not apply to what it is passed to.
func (c *config) needs(option string, u use) error {
	if c.use&u != 0 {
		return nil
	}
	where, whereEN := "导出", "export"
	switch {
	case c.use&useImport != 0:
		where, whereEN = "导入", "the importers"
	case c.use&useStore != 0:
		where, whereEN = "目录库", "NewMemoryStore"
	case c.use&useValidate != 0:
		where, whereEN = "校验", "Validate"
	}
	return optionError(option, "不适用于"+where, "does not apply to "+whereEN)
}

func optionError(option, zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "catalog.invalid_option",
		Zh: "目录选项" + option + "有误：" + zh, En: "catalog: " + option + ": " + en}
}

type configKey struct{}

var defaultConfig = func() *config {
	c := &config{idPattern: DefaultIDPattern}
	c.ctx = context.WithValue(context.Background(), configKey{}, c)
	return c
}()

// newConfig applies opts for use u; with none it returns the shared
// default, so that the common call allocates nothing.
func newConfig(opts []Option, u use) (*config, error) {
	if len(opts) == 0 {
		return defaultConfig, nil
	}
	c := &config{use: u, idPattern: DefaultIDPattern}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	c.ctx = context.WithValue(context.Background(), configKey{}, c)
	return c, nil
}

func (c *config) categories() *classify.Registry {
	if c.registry != nil {
		return c.registry
	}
	return standardCategories
}

func (c *config) methods() *govshare.Methods {
	if c.methodReg != nil {
		return c.methodReg
	}
	return standardMethods
}

func configFrom(ctx context.Context) *config {
	if c, ok := ctx.Value(configKey{}).(*config); ok {
		return c
	}
	return defaultConfig
}
