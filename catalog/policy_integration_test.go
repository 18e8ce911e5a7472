package catalog

import (
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// classify's national profile plugs into Validate as the grading policy:
// its findings come back with the entry's paths, and a clean entry gives
// none.
func TestValidateWithNationalDefaultPolicy(t *testing.T) {
	policy := classify.NationalDefault()
	clean := validEntry()
	for _, f := range Validate(clean, WithPolicy(policy)) {
		assert.NotEqual(t, govshare.Error, f.Severity, "clean entry: %s", f)
	}

	// Sensitive personal information (an identity-card number) shared
	// unconditionally in an entry graded 一般数据2级 offered for download.
	e := validEntry()
	e.Share, e.Conditions = govshare.Unconditional, ""
	e.Items[1].Share = 0
	e.Classification.Grade = classify.General2
	e.Methods = []govshare.ShareMethod{govshare.FileDownload}
	codes := map[string]string{}
	for _, f := range Validate(e, WithPolicy(policy)) {
		codes[f.Code] = f.Path
	}
	require.Contains(t, codes, "classify.sensitive_unconditional")
	assert.Equal(t, "items[1].share", codes["classify.sensitive_unconditional"])
	assert.Contains(t, codes, "classify.sensitive_min_grade")

	// A core-data entry shared unconditionally is an error under the
	// profile and blocks publishing through the store.
	c := validEntry()
	c.Classification.Grade = classify.Core
	c.Share, c.Conditions = govshare.Unconditional, ""
	c.Items[1].Share = govshare.NotShared
	c.LegalBasis = ""
	assert.True(t, govshare.HasError(Validate(c, WithPolicy(policy))))
}
