package postgres

import (
	"regexp"
	"strconv"

	"github.com/govshare/govshare"
)

// Option configures New: the functional options of every govshare package
// (docs/api.md). An option validates its value and refuses a bad one with
// an error matching govshare.ErrInvalid; nothing is half-built. A nil
// Option is ignored.
type Option func(*config) error

type config struct {
	schema  string
	retries int
}

// DefaultSchema is the schema New uses without WithSchema.
const DefaultSchema = "govshare"

// DefaultRetries is how many times a transaction that failed with a
// serialization failure or a deadlock (SQLSTATE 40001, 40P01) is run
// again without WithRetries: a policy default, not law.
const DefaultRetries = 8

// schemaPattern is the form of a schema name WithSchema accepts: an
// unquoted lowercase PostgreSQL identifier of at most 63 bytes, so that
// the name needs no quoting in any engine of the PostgreSQL family.
var schemaPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// WithSchema sets the schema that holds govshare's tables (DefaultSchema,
// "govshare", without it). The name is a lowercase identifier: a letter
// or underscore, then letters, digits and underscores, at most 63 bytes,
// not starting with "pg_". Several schemas in one database are separate
// installations.
func WithSchema(name string) Option {
	return func(c *config) error {
		if !schemaPattern.MatchString(name) || len(name) >= 3 && name[:3] == "pg_" {
			return optionError("WithSchema", "模式名“"+name+"”须为小写字母或下划线开头、由小写字母、数字和下划线组成的标识符（至多63字节，不以 pg_ 开头）",
				"schema name "+strconv.Quote(name)+" is not a lowercase identifier (a letter or underscore, then letters, digits, underscores; at most 63 bytes; not pg_…)")
		}
		c.schema = name
		return nil
	}
}

// WithRetries sets how many times a transaction that failed with a
// serialization failure or a deadlock is run again (DefaultRetries without
// it; 0 runs it once). At most 100.
func WithRetries(n int) Option {
	return func(c *config) error {
		if n < 0 || n > 100 {
			return optionError("WithRetries", "重试次数须在0到100之间，不是"+strconv.Itoa(n),
				"retries must be between 0 and 100, not "+strconv.Itoa(n))
		}
		c.retries = n
		return nil
	}
}

func optionError(option, zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "postgres.invalid_option",
		Zh: "PostgreSQL 存储选项" + option + "有误：" + zh, En: "postgres: " + option + ": " + en}
}
