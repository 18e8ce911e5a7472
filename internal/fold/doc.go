// Package fold folds full-width and half-width forms to their canonical
// width, as golang.org/x/text/width's Fold transformer defines it: the
// full-width ASCII variants (Ｃ１２３, ＡＢＣ) and the ideographic space
// become ASCII, the half-width katakana and symbols their wide forms. The
// Chinese punctuation 、。「」 is already canonical and stays as it is,
// which is why this is Fold and not width.Narrow (that would turn 、 into
// the half-width ､ and break lists separated by 、).
//
// Spreadsheet cells typed by hand and values typed with a Chinese input
// method carry such forms; catalog folds codes, enumeration cells and
// search text with Width, classify reads values typed in full-width digits
// with ToASCII.
//
// The mapping is x/text/width's (width.LookupString and Properties.Folded);
// only the scan around it is written here, for two reasons a benchmark
// shows (BenchmarkWidth): width.Fold.String allocates a buffer on every
// call, also for the usual text that has nothing to fold, and ToASCII must
// refuse a sentence with a full-width comma without allocating at all.
// Every rune that folds is encoded with a lead byte in foldLead; a test
// checks that against the whole of x/text/width's table.
package fold
