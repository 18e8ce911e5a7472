//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package audit

import (
	"errors"
	"os"
)

// lockFile fails: without a lock a second writer could not be refused, so
// OpenFile opens files only for reading on this platform.
func lockFile(*os.File) error {
	return errors.New("file locking is not supported on this platform; open the log ReadOnly")
}

func syncDir(string) error { return nil }
