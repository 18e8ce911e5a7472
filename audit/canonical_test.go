package audit

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govshare/govshare"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// specEncoding builds the encoding of testEvent(1) at seq 7 by following
// the byte layout in doc.go field by field, independently of encodeRecord.
func specEncoding(prev Digest) []byte {
	return specEncodingOf(prev, "某市公安局", "11330100002482075X")
}

// specEncodingOf is specEncoding with the department's name and identity
// (dept.id) given.
func specEncodingOf(prev Digest, deptName, deptID string) []byte {
	var b []byte
	u32 := func(n int) { b = binary.BigEndian.AppendUint32(b, uint32(n)) }
	str := func(s string) { u32(len(s)); b = append(b, s...) }
	b = append(b, 0x47, 0x53, 0x41, 0x01)
	b = binary.BigEndian.AppendUint64(b, 7)
	b = append(b, prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(t0.Add(1e9).UnixNano()))
	str("request.reply")
	str("u-20002")
	str("李四")
	str("office_head")
	str(deptName)
	str(deptID)
	str("330100")
	str("city")
	str("application")
	str("SQ-2026-000001")
	str("success")
	str("")
	str("corr-00000001")
	str(`{"attribute":"conditional","entry":"CAT-330100-0001","items":["姓名","身份证号"],"n":1}`)
	return b
}

func TestEncodingFollowsSpec(t *testing.T) {
	var prev Digest
	for i := range prev {
		prev[i] = byte(i)
	}
	n, err := testEvent(1).normalize(DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	got, want := encodeRecord(7, prev, &n), specEncoding(prev)
	if !bytes.Equal(got, want) {
		t.Fatalf("encoding differs from the documented layout\n got %x\nwant %x", got, want)
	}
	rec, err := decodeRecord(got, Digest{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Seq != 7 || rec.Prev != prev || !reflect.DeepEqual(rec.Event, n) {
		t.Errorf("decode gave seq %d prev %s event %+v\nwant %+v", rec.Seq, rec.Prev, rec.Event, n)
	}

	// A department without a credit code is recorded by its identity,
	// "dir:" and its directory id, in the same field.
	e := testEvent(1)
	e.Actor.Department = govshare.Department{Name: "某县档案馆", DirectoryID: "ZJ-330100-017", RegionCode: "330100", Level: govshare.City}
	if n, err = e.normalize(DefaultLimits); err != nil {
		t.Fatal(err)
	}
	got, want = encodeRecord(7, prev, &n), specEncodingOf(prev, "某县档案馆", "dir:ZJ-330100-017")
	if !bytes.Equal(got, want) {
		t.Fatalf("a directory id is not encoded as documented\n got %x\nwant %x", got, want)
	}
	if rec, err = decodeRecord(got, Digest{}); err != nil || !reflect.DeepEqual(rec.Event, n) {
		t.Errorf("decode gave %+v, %v\nwant %+v", rec.Event, err, n)
	}
}

// TestEncodingIndependentOfDetailsForm: the same details written with other
// key order, spacing and number spelling give the same record hash.
func TestEncodingIndependentOfDetailsForm(t *testing.T) {
	s, err := NewSealer(Header{Algorithm: SM3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	forms := []string{
		`{"entry":"CAT-1","items":["姓名","身份证号"],"n":10}`,
		`{ "n" : 1e1, "items" : [ "\u59d3\u540d", "身份证号" ], "entry" : "CAT-1" }`,
		"{\"items\":[\"姓名\",\"身份证号\"],\n\t\"n\":10.0,\"entry\":\"CAT\\u002d1\"}",
	}
	var first Digest
	for i, d := range forms {
		e := testEvent(0)
		e.Details = []byte(d)
		sealed, err := s.Seal(Head{Size: 3}, e)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = sealed.Record.Hash
		} else if sealed.Record.Hash != first {
			t.Errorf("form %d hashes to %s, form 0 to %s", i, sealed.Record.Hash, first)
		}
	}
}

// golden is testdata/record-v1.json: one record's encoding and hashes in
// every configuration, for implementations in other languages.
type golden struct {
	Comment  string          `json:"comment"`
	Event    json.RawMessage `json:"event"`
	Seq      uint64          `json:"seq"`
	Prev     Digest          `json:"prev"`
	Encoding string          `json:"encoding_hex"`
	LogID    LogID           `json:"log_id"`
	Key      string          `json:"key_hex"`
	Hashes   []goldenHash    `json:"hashes"`
}

type goldenHash struct {
	Algorithm Algorithm `json:"algorithm"`
	Leaf      Digest    `json:"leaf"`
	Unkeyed   Digest    `json:"record_hash_unkeyed"`
	Keyed     Digest    `json:"record_hash_keyed"`
	KeyCheck  Digest    `json:"key_check"`
}

func TestEncodingGolden(t *testing.T) {
	var prev Digest
	for i := range prev {
		prev[i] = byte(0xa0 + i)
	}
	e := testEvent(1)
	n, _ := e.normalize(DefaultLimits)
	ev, _ := json.Marshal(n)
	g := golden{
		Comment: "govshare audit record encoding v1 (see audit/doc.go): the event, its canonical encoding at seq/prev, " +
			"and leaf = H(0x00||encoding), record hash = leaf (unkeyed) or HMAC-H(key, leaf) (keyed), " +
			"key check = HMAC-H(key, \"govshare-audit key check v1\"||log id)",
		Event: ev, Seq: 7, Prev: prev,
		Encoding: hex.EncodeToString(specEncoding(prev)),
		Key:      hex.EncodeToString(testKey),
	}
	copy(g.LogID[:], "govshare-golden!")
	for _, alg := range []Algorithm{SM3, SHA256} {
		x, k := newHasher(alg, nil), newHasher(alg, testKey)
		leaf := x.leaf(specEncoding(prev))
		g.Hashes = append(g.Hashes, goldenHash{Algorithm: alg, Leaf: leaf, Unkeyed: x.record(&leaf), Keyed: k.record(&leaf), KeyCheck: keyCheck(alg, testKey, g.LogID)})
	}
	got, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "record-v1.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestEncodingGolden -update)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("record encoding or hashes changed; if that is intended, bump the format version and rerun with -update\n got %s\nwant %s", got, want)
	}
	// The golden event, decoded from its JSON, seals to the golden hashes.
	var back Event
	if err := json.Unmarshal(g.Event, &back); err != nil {
		t.Fatal(err)
	}
	for _, h := range g.Hashes {
		s, err := NewSealer(Header{Algorithm: h.Algorithm, Keyed: true, LogID: g.LogID, KeyCheck: h.KeyCheck}, testKey)
		if err != nil {
			t.Fatal(err)
		}
		sealed, err := s.Seal(Head{Size: g.Seq, Hash: g.Prev}, back)
		if err != nil {
			t.Fatal(err)
		}
		if sealed.Leaf != h.Leaf || sealed.Record.Hash != h.Keyed || hex.EncodeToString(sealed.Encoding) != g.Encoding {
			t.Errorf("%s: sealing the golden event gave leaf %s hash %s", h.Algorithm, sealed.Leaf, sealed.Record.Hash)
		}
	}
}

func TestParseRawRejects(t *testing.T) {
	n, _ := testEvent(2).normalize(DefaultLimits)
	good := encodeRecord(3, Digest{1}, &n)
	var f rawFields
	if err := parseRaw(good, &f); err != nil {
		t.Fatalf("good encoding: %v", err)
	}
	// Offsets of fields in good, found by walking it.
	fieldAt := func(i int) int {
		off := offStrings
		for j := 0; j < i; j++ {
			off += 4 + int(binary.BigEndian.Uint32(good[off:]))
		}
		return off
	}
	replace := func(field int, val string) []byte {
		off := fieldAt(field)
		n := int(binary.BigEndian.Uint32(good[off:]))
		b := append([]byte(nil), good[:off]...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(val)))
		b = append(b, val...)
		return append(b, good[off+4+n:]...)
	}
	tests := map[string][]byte{
		"empty":             nil,
		"cut in the prefix": good[:20],
		"cut in a field":    good[:len(good)-3],
		"a byte too many":   append(append([]byte(nil), good...), 0),
		"wrong magic":       append([]byte("GSA\x02"), good[4:]...),
		"unknown role":      replace(fActorRole, "boss"),
		"role in Chinese":   replace(fActorRole, "系统"),
		"unknown level":     replace(fDeptLevel, "village"),
		"no outcome":        replace(fOutcome, ""),
		"bad action":        replace(fAction, "Grant"),
		"no actor":          replace(fActorID, ""),
		"invalid UTF-8":     replace(fActorName, "\xff"),
		"control character": replace(fTargetID, "a\x00b"),
		"details not JSON":  replace(fDetails, "[1]"),
		"length too large":  append(append([]byte(nil), good[:fieldAt(fTargetID)]...), 0xff, 0xff, 0xff, 0xff),
	}
	for name, b := range tests {
		if err := parseRaw(b, &f); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}
