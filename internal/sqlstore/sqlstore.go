package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
)

// Migration is one schema version: the file NNNN_name.sql of version NNNN.
type Migration struct {
	Version int
	Name    string // the file name, e.g. 0001_catalog.sql
	SQL     string
}

// LoadMigrations reads the migrations in dir of fsys: every file is named
// NNNN_name.sql, and the versions run from 1 without gaps. pkg names the
// store in the errors ("postgres", "mysql").
func LoadMigrations(fsys fs.FS, dir, pkg string) ([]Migration, error) {
	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, f := range files {
		name := f.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("%s: migration file %q is not NNNN_name.sql", pkg, name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("%s: migration %s: want version %d (versions start at 1, without gaps)", pkg, m.Name, i+1)
		}
	}
	return ms, nil
}

// DBError wraps an error from a driver in a typed error with the code
// pkg+".unavailable" (govshare.ErrUnavailable) when unavailable says the
// server cannot be used now, pkg+".error" (govshare.ErrInternal)
// otherwise. A context's error and errors that already have a kind are
// returned as they are; nil stays nil.
func DBError(pkg, op string, err error, unavailable func(error) bool) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if govshare.Kind(err) != govshare.ErrInternal {
		return err
	}
	if unavailable(err) {
		return &govshare.CodedError{Kind: govshare.ErrUnavailable, Code: pkg + ".unavailable",
			Zh: "数据库暂不可用（" + op + "）", En: pkg + ": " + op + ": database unavailable", Err: err}
	}
	return &govshare.CodedError{Kind: govshare.ErrInternal, Code: pkg + ".error",
		Zh: "数据库操作失败（" + op + "）", En: pkg + ": " + op, Err: err}
}
