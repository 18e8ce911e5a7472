package govshare

import (
	"fmt"
	"time"
)

// The range of instants govshare accepts: from 2000-01-01 00:00 to
// 2200-01-01 00:00 China Standard Time (a policy default wide enough for
// any period of use or deadline, and narrow enough that no comparison in
// nanoseconds can overflow). Every entry point that takes an instant from
// outside — a command's instant and its periods, a gateway access, a
// schedule file — refuses one outside it with an *InstantError.
var (
	MinInstant = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	MaxInstant = time.Date(2200, time.January, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
)

// ErrInstant is the kind of an instant outside [MinInstant, MaxInstant).
// errors.Is(err, ErrInvalid) holds for it.
var ErrInstant = fmt.Errorf("govshare: instant out of range: %w", ErrInvalid)

// InstantError names the field and the instant that is out of range.
type InstantError struct {
	Field string
	At    time.Time
}

// Error implements error.
func (e *InstantError) Error() string {
	return fmt.Sprintf("govshare: %s: instant %s is outside the supported range [%s, %s)", e.Field,
		e.At.Format(time.RFC3339Nano), MinInstant.Format(time.RFC3339), MaxInstant.Format(time.RFC3339))
}

// Unwrap returns ErrInstant.
func (e *InstantError) Unwrap() error { return ErrInstant }

// ErrorMessage implements Messenger.
func (e *InstantError) ErrorMessage() Message {
	return Message{Code: "govshare.instant_out_of_range",
		Zh: fmt.Sprintf("%s的时间%s超出支持范围（2000年至2199年）", e.Field, e.At.Format("2006-01-02 15:04:05")),
		En: e.Error(), Citation: PolicyDefault("supported instants 2000–2199")}
}

// InRange reports whether t lies in [MinInstant, MaxInstant).
func InRange(t time.Time) bool { return !t.Before(MinInstant) && t.Before(MaxInstant) }

// CheckInstant returns nil for an instant in range and an *InstantError
// naming field otherwise.
func CheckInstant(field string, t time.Time) error {
	if InRange(t) {
		return nil
	}
	return &InstantError{Field: field, At: t}
}
