//go:build windows

package audit

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes an exclusive lock on fh without waiting, on a byte range
// far beyond any real data: Windows locks are mandatory, and readers must
// still be able to read the file. The lock is released when fh is closed.
func lockFile(fh *os.File) error {
	ol := windows.Overlapped{Offset: 0xffffffff, OffsetHigh: 0x7fffffff}
	err := windows.LockFileEx(windows.Handle(fh.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return ErrLocked
	}
	return err
}

// syncDir does nothing: Windows makes directory entries durable with the
// file, and cannot open a directory for syncing.
func syncDir(string) error { return nil }
