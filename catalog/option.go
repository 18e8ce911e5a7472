package catalog

import (
	"context"
	"regexp"
	"sync"

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

// Option configures Validate, the importers and a Store.
type Option func(*config)

// WithPolicy makes validation consult a grading policy.
func WithPolicy(p Policy) Option { return func(c *config) { c.policy = p } }

// WithIDPattern replaces DefaultIDPattern for 目录代码.
func WithIDPattern(re *regexp.Regexp) Option {
	return func(c *config) {
		if re != nil {
			c.idPattern = re
		}
	}
}

// WithAllowedCreditCodes accepts these 统一社会信用代码 as they are: early
// pilot codes that fail the GB 32100-2015 check character but are legal.
func WithAllowedCreditCodes(codes ...string) Option {
	return func(c *config) { c.allow = append(c.allow, codes...) }
}

// WithRegistry checks and parses data categories (数据分类) against r
// instead of a registry of classify's default sectors.
func WithRegistry(r *classify.Registry) Option {
	return func(c *config) {
		if r != nil {
			c.registry = r
		}
	}
}

// WithMethods checks and parses share methods (共享方式, R13) against r
// instead of the three methods of R13.
func WithMethods(r *govshare.Methods) Option {
	return func(c *config) {
		if r != nil {
			c.methodReg = r
		}
	}
}

// standardMethods is the registry used without WithMethods, and
// standardCategories the one used without WithRegistry; they are not
// exported, so nothing registers into them.
var (
	standardMethods    = govshare.NewMethods()
	standardCategories = classify.NewRegistry()
)

type config struct {
	methodReg *govshare.Methods
	policy    Policy
	idPattern *regexp.Regexp
	allow     []string
	registry  *classify.Registry
	// ctx carries the config to the validator's custom functions.
	ctx context.Context
	// known holds the categories the registry accepted.
	known sync.Map
}

type configKey struct{}

var defaultConfig = func() *config {
	c := &config{idPattern: DefaultIDPattern}
	c.ctx = context.WithValue(context.Background(), configKey{}, c)
	return c
}()

// newConfig applies opts; with none it returns the shared default, so
// that the common call allocates nothing.
func newConfig(opts []Option) *config {
	if len(opts) == 0 {
		return defaultConfig
	}
	c := &config{idPattern: DefaultIDPattern}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	c.ctx = context.WithValue(context.Background(), configKey{}, c)
	return c
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
