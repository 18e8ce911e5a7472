package mysql

import (
	"regexp"
	"strconv"
	"time"

	"github.com/govshare/govshare"
)

// Option configures New: the functional options of every govshare package
// (docs/api.md). An option validates its value and refuses a bad one with
// an error matching govshare.ErrInvalid; nothing is half-built. A nil
// Option is ignored.
type Option func(*config) error

type config struct {
	database    string
	retries     int
	lockTimeout time.Duration
	poll        time.Duration
}

// DefaultRetries is how many times a transaction that failed with a
// deadlock (MySQL error 1213, also what a Galera certification failure
// reports) or a lock wait timeout (1205) is run again without
// WithRetries: a policy default, not law.
const DefaultRetries = 16

// DefaultLockTimeout is how long Migrate waits for the migration lock
// (GET_LOCK) held by another replica without WithLockTimeout: a policy
// default.
const DefaultLockTimeout = 60 * time.Second

// databasePattern is the form of a database name WithDatabase accepts: an
// unquoted lowercase identifier of at most 64 bytes, which needs no
// quoting and means the same in every engine of the MySQL family whatever
// its lower_case_table_names.
var databasePattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,63}$`)

// WithDatabase sets the database (MySQL's name for a schema) that holds
// govshare's tables: every statement names it, so the connection's
// default database does not matter, and Migrate creates it (utf8mb4,
// utf8mb4_bin) if it does not exist. Without it the tables are in the
// connection's default database (the DSN's), unqualified. The name is a
// lowercase identifier: a letter or underscore, then letters, digits and
// underscores, at most 64 bytes, and not one of the server's own
// databases (mysql, information_schema, performance_schema, sys).
func WithDatabase(name string) Option {
	return func(c *config) error {
		switch {
		case !databasePattern.MatchString(name):
			return optionError("WithDatabase", "数据库名“"+name+"”须为小写字母或下划线开头、由小写字母、数字和下划线组成的标识符（至多64字节）",
				"database name "+strconv.Quote(name)+" is not a lowercase identifier (a letter or underscore, then letters, digits, underscores; at most 64 bytes)")
		case name == "mysql" || name == "information_schema" || name == "performance_schema" || name == "sys":
			return optionError("WithDatabase", "不能使用服务器自身的数据库 "+name, "database "+name+" is the server's own")
		}
		c.database = name
		return nil
	}
}

// WithRetries sets how many times a transaction that failed with a
// deadlock, a Galera certification failure or a lock wait timeout is run
// again (DefaultRetries without it; 0 runs it once). At most 100.
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

// WithLockTimeout sets how long Migrate waits for another replica's
// migration lock (DefaultLockTimeout without it): whole seconds, from 1 s
// to 1 h.
func WithLockTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second || d > time.Hour || d%time.Second != 0 {
			return optionError("WithLockTimeout", "锁等待时间须为1秒到1小时之间的整秒数，不是"+d.String(),
				"lock timeout must be whole seconds from 1s to 1h, not "+d.String())
		}
		c.lockTimeout = d
		return nil
	}
}

func optionError(option, zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "mysql.invalid_option",
		Zh: "MySQL 存储选项" + option + "有误：" + zh, En: "mysql: " + option + ": " + en}
}

// WithPollInterval sets how often the request store's change feed reads
// its head while a replica waits for changes (DefaultPollInterval without
// it): from 10 ms to 10 s.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d < 10*time.Millisecond || d > 10*time.Second {
			return optionError("WithPollInterval", "轮询间隔须在10毫秒到10秒之间，不是"+d.String(),
				"poll interval must be from 10ms to 10s, not "+d.String())
		}
		c.poll = d
		return nil
	}
}
