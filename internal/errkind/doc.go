// Package errkind defines the kinds of error every govshare package wraps.
// The root package re-exports them (govshare.ErrNotFound, …); they live
// here so that internal packages the root package imports can wrap them
// too.
package errkind
