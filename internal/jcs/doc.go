// Package jcs is govshare's one implementation of the JSON
// Canonicalization Scheme, RFC 8785: the form in which the audit log
// records and hashes event details, and in which the request package
// writes them. No other package writes canonical JSON.
//
//   - Canonicalize and AppendCanonical turn a JSON text into its canonical
//     form: no whitespace; object members sorted by the UTF-16 code units
//     of their names (Compare); strings with only the escapes
//     JSON.stringify writes (AppendString); numbers as ECMAScript prints
//     IEEE-754 doubles (AppendFloat, AppendInt). A refusal is an *Error
//     naming the byte offset.
//   - AppendString, AppendFloat, AppendInt and Compare write canonical
//     JSON directly, for a caller that builds an object from Go values.
//
// Like RFC 8785 (through I-JSON, RFC 7493), it refuses duplicate member
// names (after unescaping), lone surrogates, invalid UTF-8 and numbers
// beyond the range of a double. Beyond RFC 8785, it refuses an integer
// literal (no fraction, no exponent) beyond 2^53 whose digits a double
// does not keep, such as 9007199254740993, which RFC 8785 would silently
// write as 9007199254740992: identifiers that large belong in strings.
// Objects and arrays nest no deeper than the limit the caller gives.
//
// # Why it is hand-written
//
// The standard library has no RFC 8785 encoder, and the reference
// implementation, github.com/gowebpki/jcs, builds a tree of every value
// and is about ten times slower on audit details (BenchmarkCanonicalize,
// figures in docs/benchmarks.md). It also has no nesting limit of the
// caller's, no refusal of rounded integers, and no way to take a text
// that is canonical already without copying it, which is what most
// details are: the request package and most hosts write them with
// json.Marshal of a map. gowebpki/jcs is kept as the reference the tests
// hold this package to: FuzzDifferential requires the same bytes from
// both on every input both accept (and documents the one class of input
// only gowebpki/jcs accepts), over a seed corpus in testdata/fuzz.
//
// # The lazy path
//
// The parser writes nothing while the input is canonical as it stands,
// and only from the first difference on copies what it has read and
// writes the rest; an object whose members are out of order is put in
// order in place, each member keeping its bytes. So Canonicalize returns
// canonical input itself without allocating, and input whose only flaw is
// member order costs one copy. BenchmarkCanonicalize weighs this against
// the same parser writing every token and against gowebpki/jcs, and the
// lazy path is kept because it pays there (docs/benchmarks.md).
package jcs
