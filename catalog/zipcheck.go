package catalog

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"
)

// workbookZip is the zip of an uploaded workbook, its central directory
// checked against the Limits before any part is inflated. excelize read
// the parts itself and pre-allocated each one's declared size: a 2.7 KB
// file declaring a 12 GiB part killed the process with an out-of-memory
// fatal error that recover cannot catch. Here no part is handed to
// anything but partReader, which inflates it as a stream and counts.
type workbookZip struct {
	parts map[string]*zip.File
	lim   Limits
}

// cdSignature starts every central-directory header.
var cdSignature = []byte("PK\x01\x02")

// openZip checks the zip's central directory against lim and indexes its
// parts by name.
func openZip(src io.ReaderAt, size int64, lim Limits) (*workbookZip, error) {
	// archive/zip allocates a record for every central-directory header
	// it reads, up to the end of the file, whatever the end record says.
	// Each header starts with the signature, so their count bounds the
	// records before any is allocated.
	n, err := countSignatures(src, size)
	if err != nil {
		return nil, err
	}
	if n > lim.Parts {
		return nil, &LimitError{Format: "xlsx", Limit: "Parts", Max: int64(lim.Parts), Value: int64(n)}
	}
	zr, err := zip.NewReader(src, size)
	if err != nil {
		return nil, &ReadError{Format: "xlsx", Err: err}
	}
	z := &workbookZip{parts: make(map[string]*zip.File, len(zr.File)), lim: lim}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		name := partName(f.Name)
		if _, dup := z.parts[partKey(name)]; dup {
			// Two parts of one name could show one reader one content and
			// another reader the other. Part names are compared without
			// case (ECMA-376 Part 2, rule M1.12).
			return nil, &ReadError{Format: "xlsx", Err: fmt.Errorf("the zip holds the part %q twice", name)}
		}
		if f.UncompressedSize64 > uint64(lim.PartBytes) {
			return nil, &LimitError{Format: "xlsx", Limit: "PartBytes", Max: lim.PartBytes, Value: clampInt64(f.UncompressedSize64), Part: name}
		}
		if f.UncompressedSize64 > ratioFloor && f.UncompressedSize64/max(f.CompressedSize64, 1) > uint64(lim.PartRatio) {
			return nil, &LimitError{Format: "xlsx", Limit: "PartRatio", Max: int64(lim.PartRatio),
				Value: clampInt64(f.UncompressedSize64 / max(f.CompressedSize64, 1)), Part: name}
		}
		z.parts[partKey(name)] = f
	}
	return z, nil
}

// partKey is a part name as the index of a workbookZip holds it: part
// names are case-insensitive ASCII (ECMA-376 Part 2, rule M1.12).
func partKey(name string) string { return strings.ToLower(name) }

// has reports whether the zip holds the part.
func (z *workbookZip) has(name string) bool { return z.parts[partKey(name)] != nil }

// countSignatures counts the central-directory signatures in the file.
func countSignatures(src io.ReaderAt, size int64) (int, error) {
	const chunk = 1 << 20
	buf := make([]byte, chunk+len(cdSignature)-1)
	n, keep := 0, 0
	for off := int64(0); off < size; {
		m, err := src.ReadAt(buf[keep:keep+int(min(chunk, size-off))], off)
		if err != nil && err != io.EOF {
			return 0, err
		}
		if m == 0 {
			break
		}
		b := buf[:keep+m]
		n += bytes.Count(b, cdSignature)
		off += int64(m)
		// Keep the bytes that could start a signature cut by the chunk.
		keep = copy(buf, b[max(0, len(b)-(len(cdSignature)-1)):])
	}
	return n, nil
}

// xlsxSource returns the upload as an io.ReaderAt and its size: r itself
// when it is one whose size is known, read in place (asking ctx at every
// read), and otherwise its bytes, read up to lim.FileBytes.
func xlsxSource(ctx context.Context, r io.Reader, lim Limits) (io.ReaderAt, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	if ra, ok := r.(io.ReaderAt); ok {
		size, known := int64(0), false
		switch s := r.(type) {
		case interface{ Size() int64 }: // *bytes.Reader, *strings.Reader, *io.SectionReader
			size, known = s.Size(), true
		case interface{ Stat() (fs.FileInfo, error) }: // *os.File
			if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
				size, known = fi.Size(), true
			}
		}
		if known {
			if size > lim.FileBytes {
				return nil, 0, &LimitError{Format: "xlsx", Limit: "FileBytes", Max: lim.FileBytes, Value: size}
			}
			return ctxReaderAt{ctx, ra}, size, nil
		}
	}
	data, err := readAll(ctx, "xlsx", r, lim)
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// ctxReaderAt reads from r unless ctx is done.
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

// ReadAt reads from r unless ctx is done.
func (c ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

func clampInt64(v uint64) int64 {
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}

// partName normalises a zip entry name to the part names the workbook's
// relationships use: forward slashes, no leading slash.
func partName(name string) string {
	return strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/")
}

// resolve returns the part a relationship target of the part from names:
// relative to from's folder, or absolute from the package root.
func resolve(from, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return strings.TrimPrefix(path.Join(path.Dir(from), target), "/")
}

// open returns a reader of the inflated part, or nil when there is no
// such part.
func (z *workbookZip) open(name string) (*partReader, error) {
	f := z.parts[partKey(name)]
	if f == nil {
		return nil, nil
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s: %w", name, err)}
	}
	var r io.Reader
	switch f.Method {
	case zip.Store:
		r = raw
	case zip.Deflate:
		r = flate.NewReader(raw)
	default:
		return nil, &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s: compression method %d is not supported", name, f.Method)}
	}
	return &partReader{r: r, f: f, name: name, lim: z.lim, crc: crc32.NewIEEE()}, nil
}

// partReader inflates a part and counts: in case its declaration lies, it
// stops at the first byte beyond the size the part declares (the check of
// the declared size against PartBytes and PartRatio then bounds it), and
// it checks the ratio and PartBytes again on what it actually inflated.
// At the end it checks the size and the CRC-32 the part declares.
type partReader struct {
	r    io.Reader
	f    *zip.File
	name string
	lim  Limits
	n    uint64
	crc  hash.Hash32
	err  error
}

// Read inflates and counts.
func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	p.crc.Write(b[:n])
	p.n += uint64(n)
	switch {
	case p.n > uint64(p.lim.PartBytes):
		p.err = &LimitError{Format: "xlsx", Limit: "PartBytes", Max: p.lim.PartBytes, Value: clampInt64(p.n), Part: p.name, reading: true}
	case p.n > ratioFloor && p.n/max(p.f.CompressedSize64, 1) > uint64(p.lim.PartRatio):
		p.err = &LimitError{Format: "xlsx", Limit: "PartRatio", Max: int64(p.lim.PartRatio), Value: clampInt64(p.n / max(p.f.CompressedSize64, 1)), Part: p.name, reading: true}
	case p.n > p.f.UncompressedSize64:
		p.err = &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s inflates to more than the %d bytes it declares", p.name, p.f.UncompressedSize64)}
	case err == io.EOF && p.n != p.f.UncompressedSize64:
		p.err = &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s inflates to %d bytes, not the %d it declares", p.name, p.n, p.f.UncompressedSize64)}
	case err == io.EOF && p.f.CRC32 != 0 && p.crc.Sum32() != p.f.CRC32:
		p.err = &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s: %w", p.name, zip.ErrChecksum)}
	case err != nil && err != io.EOF:
		p.err = &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s: %w", p.name, err)}
	default:
		return n, err
	}
	return 0, p.err
}
