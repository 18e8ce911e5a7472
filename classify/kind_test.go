package classify_test

import (
	"encoding/json"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKinds(t *testing.T) {
	tests := []struct {
		k                   classify.Kind
		code                string
		personal, sensitive bool
	}{
		{classify.None, "none", false, false},
		{classify.Name, "name", true, false},
		{classify.IDCard, "id_card", true, true},
		{classify.Passport, "passport", true, true},
		{classify.Mobile, "mobile", true, false},
		{classify.Phone, "phone", true, false},
		{classify.Email, "email", true, false},
		{classify.Address, "address", true, false},
		{classify.BankCard, "bank_card", true, true},
		{classify.Biometric, "biometric", true, true},
		{classify.Health, "health", true, true},
		{classify.Religion, "religion", true, true},
		{classify.Location, "location", true, true},
		{classify.Minor, "minor", true, true},
		{classify.USCC, "uscc", false, false},
		{classify.Plate, "plate", false, false},
	}
	require.Len(t, classify.Kinds(), len(tests), "every kind is in this table")
	for i, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			assert.Equal(t, tt.k, classify.Kinds()[i])
			assert.True(t, tt.k.Valid())
			assert.Equal(t, tt.personal, tt.k.Personal())
			assert.Equal(t, tt.sensitive, tt.k.Sensitive())
			code, err := tt.k.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.code, string(code))
			back, err := classify.ParseKind(tt.code)
			require.NoError(t, err)
			assert.Equal(t, tt.k, back)
			back, err = classify.ParseKind(tt.k.String())
			require.NoError(t, err)
			assert.Equal(t, tt.k, back, "the Chinese term parses")
			assert.NotEmpty(t, tt.k.English())
		})
	}
}

func TestParseKindErrors(t *testing.T) {
	k, err := classify.ParseKind("  ")
	require.NoError(t, err)
	assert.Equal(t, classify.None, k)
	k, err = classify.ParseKind("身份证号码")
	require.NoError(t, err)
	assert.Equal(t, classify.IDCard, k)

	_, err = classify.ParseKind("性别")
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	_, err = classify.Kind(200).MarshalText()
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	assert.Equal(t, "Kind(200)", classify.Kind(200).String())

	var item struct {
		K classify.Kind `json:"k"`
	}
	item.K = classify.Mobile
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"k":"phone_number"}`), &item), govshare.ErrUnknownValue)
	assert.Equal(t, classify.Mobile, item.K, "a failed parse changes nothing")
}
