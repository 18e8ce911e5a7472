package catalog

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// Hostile uploads, generated here byte for byte so that the tests show
// exactly what the importers defend against (issue 11). The large ones are
// streamed to a file; rss_test.go imports each in a child process and
// measures its peak memory.

// spreadsheetNS is the namespace declaration of a worksheet.
const spreadsheetNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// rawPart is a zip part as it is stored: deflated bytes, and the size and
// CRC-32 its headers declare, which may lie.
type rawPart struct {
	deflated []byte
	size     uint64
	crc      uint32
}

// xsheet is a worksheet of a generated workbook: either XML written into
// <worksheet> as the part is compressed, or a stored rawPart.
type xsheet struct {
	name string
	xml  func(w io.Writer) error
	raw  *rawPart
}

// writeXLSX writes a workbook of the sheets, compressing as it goes
// (flate.BestSpeed, so that a sheet of a million rows takes a second).
func writeXLSX(w io.Writer, sheets ...xsheet) error {
	z := zip.NewWriter(w)
	z.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	put := func(name, content string) error {
		f, err := z.Create(name)
		if err == nil {
			_, err = io.WriteString(f, content)
		}
		return err
	}
	types := `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
	wb := `<?xml version="1.0" encoding="UTF-8"?><workbook ` + spreadsheetNS + `><sheets>`
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	for i, s := range sheets {
		n := i + 1
		types += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		wb += fmt.Sprintf(`<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.name, n, n)
		rels += fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
	}
	for _, p := range [][2]string{
		{"[Content_Types].xml", types + `</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", wb + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", rels + `</Relationships>`},
	} {
		if err := put(p[0], p[1]); err != nil {
			return err
		}
	}
	for i, s := range sheets {
		name := fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		if s.raw != nil {
			f, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: s.raw.crc,
				CompressedSize64: uint64(len(s.raw.deflated)), UncompressedSize64: s.raw.size})
			if err == nil {
				_, err = f.Write(s.raw.deflated)
			}
			if err != nil {
				return err
			}
			continue
		}
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		if _, err := io.WriteString(bw, `<?xml version="1.0" encoding="UTF-8"?><worksheet `+spreadsheetNS+`>`); err != nil {
			return err
		}
		if err := s.xml(bw); err != nil {
			return err
		}
		if _, err := io.WriteString(bw, `</worksheet>`); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	return z.Close()
}

func sheetXML(body string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, body); return err }
}

// deflatePart deflates a whole part and declares its true size, or
// declare when that is not 0.
func deflatePart(t testing.TB, content string, declare uint64) *rawPart {
	t.Helper()
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(fw, content); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	p := &rawPart{deflated: b.Bytes(), size: uint64(len(content)), crc: crc32.ChecksumIEEE([]byte(content))}
	if declare != 0 {
		p.size = declare
	}
	return p
}

// deflateBomb is a worksheet part of prefix, mib MiB of spaces and
// suffix, deflated: after the first few, each MiB of spaces compresses to
// the same 1.5 KB, so the part is written by repeating those bytes — a
// gibibyte costs a megabyte and milliseconds. The suffix is a stored
// final block. It declares its true size, or declare when that is not 0.
func deflateBomb(t testing.TB, prefix, suffix string, mib int, declare uint64) *rawPart {
	t.Helper()
	const unit = 1 << 20
	spaces := bytes.Repeat([]byte(" "), unit)
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(fw, prefix); err != nil {
		t.Fatal(err)
	}
	var marks []int
	const warm = 4
	for i := 0; i < warm+1; i++ {
		if _, err := fw.Write(spaces); err != nil {
			t.Fatal(err)
		}
		if err := fw.Flush(); err != nil {
			t.Fatal(err)
		}
		marks = append(marks, b.Len())
	}
	steady := append([]byte(nil), b.Bytes()[marks[warm-1]:marks[warm]]...)
	if !bytes.Equal(steady, b.Bytes()[marks[warm-2]:marks[warm-1]]) {
		t.Fatal("the deflated MiBs of spaces differ; the bomb cannot be made by repetition")
	}
	out := append([]byte(nil), b.Bytes()...)
	for i := warm + 1; i < mib; i++ {
		out = append(out, steady...)
	}
	// A stored block, final: BFINAL=1 BTYPE=00, then LEN and NLEN.
	n := len(suffix)
	out = append(out, 0x01, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
	out = append(out, suffix...)
	size := uint64(len(prefix)) + uint64(mib)*unit + uint64(n)
	crc := crc32.ChecksumIEEE([]byte(prefix))
	for i := 0; i < mib; i++ {
		crc = crc32.Update(crc, crc32.IEEETable, spaces)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))
	p := &rawPart{deflated: out, size: size, crc: crc}
	if declare != 0 {
		p.size = declare
	}
	return p
}

// catalogXML is the 目录 sheet of one valid entry, 101001/000001.
func catalogXML() func(io.Writer) error { return sheetXML(catalogSheetXML()) }

// itemsXML is a 数据项 sheet of the valid entry's three items, then more.
func itemsXML(more string) func(io.Writer) error {
	return sheetXML(`<sheetData>` + inlineRow(1, wantItemHeaders...) +
		inlineRow(2, "101001/000001", "姓名", "xm", "字符型", "50") +
		inlineRow(3, "101001/000001", "身份证号", "sfzh", "字符型", "18") +
		inlineRow(4, "101001/000001", "住址", "zz", "字符型", "200") + more)
}

// The hostile workbooks and CSV files, each written to w.

// lyingSizeXLSX is a 3 KB workbook whose item sheet declares 12 GiB.
func lyingSizeXLSX(t testing.TB, w io.Writer) error {
	items := `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + spreadsheetNS + `><sheetData>` + inlineRow(1, wantItemHeaders...) + `</sheetData></worksheet>`
	return writeXLSX(w, xsheet{name: "目录", xml: catalogXML()}, xsheet{name: "数据项", raw: deflatePart(t, items, 12<<30)})
}

// bombXLSX is a 1.6 MB workbook whose item sheet inflates to 1 GiB of
// spaces; it declares that size, or declare.
func bombXLSX(t testing.TB, w io.Writer, declare uint64) error {
	prefix := `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + spreadsheetNS + `><sheetData>` + inlineRow(1, wantItemHeaders...)
	return writeXLSX(w, xsheet{name: "目录", xml: catalogXML()},
		xsheet{name: "数据项", raw: deflateBomb(t, prefix, `</sheetData></worksheet>`, 1024, declare)})
}

// sheetBombXLSX claims the whole grid: a dimension of A1:XFD1048576, a
// column format over every column, a merged range over it, and a styled
// empty cell in column XFD of every row up to 1,048,576, below the three
// real items.
func sheetBombXLSX(w io.Writer) error {
	return writeXLSX(w, xsheet{name: "目录", xml: catalogXML()}, xsheet{name: "数据项", xml: func(w io.Writer) error {
		if _, err := io.WriteString(w, `<dimension ref="A1:XFD1048576"/><cols><col min="1" max="16384" width="9" customWidth="1"/></cols>`); err != nil {
			return err
		}
		if err := itemsXML("")(w); err != nil {
			return err
		}
		for r := 5; r <= maxRows; r++ {
			if _, err := fmt.Fprintf(w, `<row r="%d" spans="1:16384" s="1" customFormat="1"><c r="XFD%d" s="1"/></row>`, r, r); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, `</sheetData><mergeCells count="1"><mergeCell ref="A5:XFD1048576"/></mergeCells>`)
		return err
	}})
}

// findingsBombXLSX has a value in column XFD of every row up to
// 1,048,576: every row is an item row without a 目录代码.
func findingsBombXLSX(w io.Writer) error {
	return writeXLSX(w, xsheet{name: "目录", xml: catalogXML()}, xsheet{name: "数据项", xml: func(w io.Writer) error {
		if err := itemsXML("")(w); err != nil {
			return err
		}
		for r := 5; r <= maxRows; r++ {
			if _, err := fmt.Fprintf(w, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, `</sheetData>`)
		return err
	}})
}

// bigCatalogRow is row r of a 目录 sheet of n valid entries; bigItemRow
// row r of their 数据项 sheet, 20 items to an entry.
func bigEntryID(i int) string { return fmt.Sprintf("%d01%03d/%06d", 1+i%3, i%1000, i) }

// manyRowsXLSX has 60,000 entries of 20 items: 1,200,000 item rows, more
// than a worksheet holds.
func manyRowsXLSX(w io.Writer) error {
	const entries, items = 60_000, 20
	return writeXLSX(w,
		xsheet{name: "目录", xml: func(w io.Writer) error {
			if _, err := io.WriteString(w, `<sheetData>`+inlineRow(1, wantCatalogHeaders...)); err != nil {
				return err
			}
			for i := 0; i < entries; i++ {
				row := inlineRow(i+2, bigEntryID(i), fmt.Sprintf("数据目录%d号", i), "", fmt.Sprintf("部门%d", i%500), "",
					fmt.Sprintf("33%02d00", 1+i%11), "部门目录", "库表", "每日", "无条件共享", "", "", "服务接口", "公共安全/人/基础", "一般数据1级", "")
				if _, err := io.WriteString(w, row); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, `</sheetData>`)
			return err
		}},
		xsheet{name: "数据项", xml: func(w io.Writer) error {
			if _, err := io.WriteString(w, `<sheetData>`+inlineRow(1, wantItemHeaders...)); err != nil {
				return err
			}
			r := 2
			for i := 0; i < entries; i++ {
				id := bigEntryID(i)
				for j := 0; j < items; j++ {
					row := inlineRow(r, id, fmt.Sprintf("数据项%d", j), fmt.Sprintf("c%d", j), "字符型", fmt.Sprint(10+j), "", "", "")
					if _, err := io.WriteString(w, row); err != nil {
						return err
					}
					r++
				}
			}
			_, err := io.WriteString(w, `</sheetData>`)
			return err
		}})
}

// manyRowsCSV has 55,000 entries of 20 items in 1,100,000 rows: each
// entry's first row with its columns, the others with 目录代码 and the
// item's name only, as a clerk fills them in.
func manyRowsCSV(w io.Writer) error {
	const entries, items = 55_000, 20
	bw := bufio.NewWriterSize(w, 64<<10)
	head := append([]string{"目录代码", "数据项名称"}, wantCatalogHeaders[1:]...)
	if _, err := io.WriteString(bw, strings.Join(head, ",")+"\n"); err != nil {
		return err
	}
	for i := 0; i < entries; i++ {
		id := bigEntryID(i)
		fmt.Fprintf(bw, "%s,数据项0,数据目录%d号,,部门%d,,33%02d00,部门目录,库表,每日,无条件共享,,,服务接口,公共安全/人/基础,一般数据1级,\n", id, i, i%500, 1+i%11)
		for j := 1; j < items; j++ {
			if _, err := fmt.Fprintf(bw, "%s,数据项%d\n", id, j); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// duplicateMembersJSON is a JSON catalog of one entry whose 400,000 items
// each give their name twice.
func duplicateMembersJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	io.WriteString(bw, `{"entries":[{"id":"101001/000001","name":"户籍","items":[`)
	for i := 0; i < 400_000; i++ {
		if i > 0 {
			bw.WriteByte(',')
		}
		fmt.Fprintf(bw, `{"name":"甲%d","name":"乙%d"}`, i, i)
	}
	io.WriteString(bw, `]}]}`)
	return bw.Flush()
}
