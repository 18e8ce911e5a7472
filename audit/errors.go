package audit

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error of the package matches one of them with
// errors.Is; the typed errors below carry the details (errors.As).
var (
	// ErrInvalidEvent: an event cannot be recorded as it is (a required
	// field is missing, a text is too long or not UTF-8, the details are not
	// a JSON object, …). *EventError names the field. Nothing is recorded.
	ErrInvalidEvent = errors.New("audit: invalid event")

	// ErrInvalidOption: an option cannot be used (a short key, an unknown
	// algorithm, an option that does not apply to this kind of log).
	// *OptionError says which.
	ErrInvalidOption = errors.New("audit: invalid option")

	// ErrMalformed: bytes that should hold a record, header, checkpoint,
	// proof or bundle cannot be parsed. *MalformedError says what.
	ErrMalformed = errors.New("audit: malformed data")

	// ErrVerify: the log, a checkpoint, a proof or a bundle failed
	// verification. *VerifyError names the first bad sequence number and
	// what is wrong (Kind).
	ErrVerify = errors.New("audit: verification failed")

	// ErrWrongKey: the HMAC key given is not the key the log was written
	// with (a *VerifyError of KindWrongKey matches it too).
	ErrWrongKey = errors.New("audit: wrong key")

	// ErrKeyRequired: the log is keyed and the operation needs its key.
	ErrKeyRequired = errors.New("audit: the log is keyed and no key was given")

	// ErrHeaderMismatch: a log was opened with settings (hash algorithm,
	// keyed or not) other than those its header records. *HeaderError says
	// which. A log is never read with the wrong algorithm or keyed-ness.
	ErrHeaderMismatch = errors.New("audit: log header does not match the options")

	// ErrBadSignature: a signature does not verify under the public key.
	ErrBadSignature = errors.New("audit: bad signature")

	// ErrNoSigner: Checkpoint was called on a log without a Signer.
	ErrNoSigner = errors.New("audit: no signer configured")

	// ErrNoPublicKey: checkpoints must be verified and no public key is
	// configured (WithSigner or WithPublicKey).
	ErrNoPublicKey = errors.New("audit: no public key to verify checkpoints")

	// ErrOutOfRange: a sequence number or tree size beyond the log, or a
	// range with from > to.
	ErrOutOfRange = errors.New("audit: out of range")

	// ErrReadOnly: a write on a log opened with ReadOnly.
	ErrReadOnly = errors.New("audit: log is read-only")

	// ErrClosed: an operation on a closed log.
	ErrClosed = errors.New("audit: log is closed")

	// ErrLocked: another writer holds the log file's lock.
	ErrLocked = errors.New("audit: log file is locked by another writer")

	// ErrTornTail: the log file ends in a partly written record, left by a
	// crash. *TornTailError says where; Repair removes it. OpenFile never
	// removes it by itself.
	ErrTornTail = errors.New("audit: log file ends in a torn record")

	// ErrCorrupt: the log file is damaged other than at its tail (a frame
	// whose checksum fails with valid data after it, a wrong magic number).
	// *FormatError says where. Repair does not touch such a file.
	ErrCorrupt = errors.New("audit: log file is corrupt")

	// ErrFailed: an earlier write or sync of the log file failed; the log
	// refuses further appends until it is reopened.
	ErrFailed = errors.New("audit: log failed earlier and must be reopened")
)

// MalformedError says what could not be parsed and why.
// errors.Is(err, ErrMalformed) holds.
type MalformedError struct {
	Detail string
}

// Error returns the message.
func (e *MalformedError) Error() string { return "audit: malformed data: " + e.Detail }

// Is reports whether target is ErrMalformed.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

func malformed(format string, args ...any) error {
	return &MalformedError{Detail: fmt.Sprintf(format, args...)}
}

// OptionError says which option cannot be used and why.
// errors.Is(err, ErrInvalidOption) holds.
type OptionError struct {
	Detail string
}

// Error returns the message.
func (e *OptionError) Error() string { return "audit: invalid option: " + e.Detail }

// Is reports whether target is ErrInvalidOption.
func (e *OptionError) Is(target error) bool { return target == ErrInvalidOption }

func invalidOption(format string, args ...any) error {
	return &OptionError{Detail: fmt.Sprintf(format, args...)}
}

// EventError names the field of an event that cannot be recorded and why.
// errors.Is(err, ErrInvalidEvent) holds.
type EventError struct {
	Field  string // e.g. "actor.id", "details"
	Reason string
}

// Error returns the message.
func (e *EventError) Error() string {
	return fmt.Sprintf("audit: invalid event: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidEvent.
func (e *EventError) Is(target error) bool { return target == ErrInvalidEvent }

// HeaderError says which setting of a log's header differs from the
// options it was opened with. errors.Is(err, ErrHeaderMismatch) holds, and
// errors.Is(err, ErrKeyRequired) when the log is keyed and no key was given.
type HeaderError struct {
	Path    string // the file, or empty
	Setting string // "algorithm" or "key"
	Header  string // what the header records
	Options string // what the options asked for
}

// Error returns the message.
func (e *HeaderError) Error() string {
	where := "log"
	if e.Path != "" {
		where = e.Path
	}
	return fmt.Sprintf("audit: %s: header records %s %s, options give %s (日志头与选项不符)",
		where, e.Setting, e.Header, e.Options)
}

// Is reports whether target is ErrHeaderMismatch, or ErrKeyRequired for a
// keyed log opened without a key.
func (e *HeaderError) Is(target error) bool {
	return target == ErrHeaderMismatch || (target == ErrKeyRequired && e.Setting == "key" && e.Options == "no key")
}

// TornTailError reports the partly written record at the end of a log
// file. errors.Is(err, ErrTornTail) holds.
type TornTailError struct {
	Path    string
	Offset  int64  // where the torn bytes start: the end of the last complete frame
	Bytes   int64  // how many bytes follow Offset
	Records uint64 // complete records before Offset
}

// Error returns the message.
func (e *TornTailError) Error() string {
	return fmt.Sprintf("audit: %s: %d torn bytes at offset %d after %d complete records; run Repair to remove them (日志文件尾部记录不完整)",
		e.Path, e.Bytes, e.Offset, e.Records)
}

// Is reports whether target is ErrTornTail.
func (e *TornTailError) Is(target error) bool { return target == ErrTornTail }

// FormatError reports damage inside a log file. errors.Is(err, ErrCorrupt)
// holds.
type FormatError struct {
	Path   string
	Offset int64  // where the bad frame starts
	Record uint64 // how many records precede it (the sequence number it would have if it is a record)
	Reason string
}

// Error returns the message.
func (e *FormatError) Error() string {
	return fmt.Sprintf("audit: %s: corrupt at offset %d (after %d records): %s (日志文件损坏)",
		e.Path, e.Offset, e.Record, e.Reason)
}

// Is reports whether target is ErrCorrupt.
func (e *FormatError) Is(target error) bool { return target == ErrCorrupt }

// RangeError reports a sequence number, size or range outside the log.
// errors.Is(err, ErrOutOfRange) holds.
type RangeError struct {
	What  string // e.g. "sequence number", "tree size"
	Value uint64
	Limit uint64 // the log's size, or the other end of the range
}

// Error returns the message.
func (e *RangeError) Error() string {
	return fmt.Sprintf("audit: %s %d out of range (limit %d)", e.What, e.Value, e.Limit)
}

// Is reports whether target is ErrOutOfRange.
func (e *RangeError) Is(target error) bool { return target == ErrOutOfRange }
