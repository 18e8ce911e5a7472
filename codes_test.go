package govshare_test

import (
	"testing"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected check characters are worked out by hand from GB 32100-2015,
// independently of the package.
func TestCreditCodeCheckCharacter(t *testing.T) {
	// 91350100M000100Y4: values 9,1,3,5,0,1,0,0,21(M),0,0,0,1,0,0,30(Y),4;
	// weights 3^(i-1) mod 31 = 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28;
	// sum = 9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+21·20+0·29+0·25+0·13+1·8+0·24+0·10+30·30+4·28
	//     = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31−28 = 3 → '3'.
	c, err := govshare.CreditCodeCheck("91350100M000100Y4")
	require.NoError(t, err)
	assert.Equal(t, byte('3'), c)
	require.NoError(t, govshare.ValidateCreditCode("91350100M000100Y43"))

	// 11000000000000000: 1·1 + 1·3 = 4; 31−4 = 27 → the 28th character, 'U'.
	c, err = govshare.CreditCodeCheck("11000000000000000")
	require.NoError(t, err)
	assert.Equal(t, byte('U'), c)

	_, err = govshare.CreditCodeCheck("1100000000000000")
	assert.ErrorIs(t, err, govshare.ErrInvalidCode)
	_, err = govshare.CreditCodeCheck("1100000000000000I")
	assert.ErrorIs(t, err, govshare.ErrInvalidCode)
}

func TestValidateCreditCode(t *testing.T) {
	bad := []struct{ code, why string }{
		{"", "18"},
		{"91350100M000100Y4", "18"},
		{"91350100M000100Y44", "check character"},
		{"91350100M000100Y4O", "not in"},
		{"913A0100M000100Y43", "digit"},
		{"91350100M000I00Y43", "not in"},
		{"９1350100M000100Y43", "18"},
	}
	for _, b := range bad {
		err := govshare.ValidateCreditCode(b.code)
		require.Error(t, err, b.code)
		assert.ErrorIs(t, err, govshare.ErrInvalidCode)
		assert.Contains(t, err.Error(), b.why, b.code)
	}
	// An early pilot code failing the check is accepted only when allowed.
	pilot := "91350100M000100Y44"
	assert.Error(t, govshare.ValidateCreditCode(pilot))
	assert.NoError(t, govshare.ValidateCreditCode(pilot, pilot))
}

func TestValidateRegionCode(t *testing.T) {
	for _, ok := range []string{"110000", "110101", "330100", "650000", "654000", "820000"} {
		assert.NoError(t, govshare.ValidateRegionCode(ok), ok)
	}
	for _, bad := range []string{"", "11010", "1101011", "11010a", "990000", "000000", "110001", "１１0000"} {
		err := govshare.ValidateRegionCode(bad)
		assert.ErrorIs(t, err, govshare.ErrInvalidCode, bad)
	}
	assert.Equal(t, govshare.Provincial, govshare.RegionLevel("330000"))
	assert.Equal(t, govshare.City, govshare.RegionLevel("330100"))
	assert.Equal(t, govshare.County, govshare.RegionLevel("330106"))
}
