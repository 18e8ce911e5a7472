package textcode

import (
	"errors"
	"testing"
)

type level uint8

var levels = Table[level]{
	{Value: 1, Code: "low", Zh: "低", En: "low"},
	{Value: 2, Code: "high", Zh: "高", En: "high", Aliases: []string{"較高"}},
}

type mode uint8

var modes = Table[mode]{{Value: 0, Code: "none", Zh: "无", En: "none"}, {Value: 1, Code: "on", Zh: "开", En: "on"}}

func TestEnumHelpers(t *testing.T) {
	if got := String(levels, "level", 2); got != "高" {
		t.Errorf("String = %q", got)
	}
	if got := String(levels, "level", 0); got != "未填写" {
		t.Errorf("String(0) = %q", got)
	}
	if got := String(levels, "level", 7); got != "level(7)" {
		t.Errorf("String(7) = %q", got)
	}
	if got := English(levels, 1); got != "low" {
		t.Errorf("English = %q", got)
	}
	for v, want := range map[level]string{1: "low", 2: "high", 0: ""} {
		b, err := Marshal(levels, "level", v)
		if err != nil || string(b) != want {
			t.Errorf("Marshal(%d) = %q, %v", v, b, err)
		}
	}
	// A zero value the table names marshals to its code.
	if b, _ := Marshal(modes, "mode", 0); string(b) != "none" {
		t.Errorf("Marshal(mode 0) = %q", b)
	}
	_, err := Marshal(levels, "level", 9)
	var uv *UnknownValueError
	if !errors.As(err, &uv) || !errors.Is(err, ErrUnknownValue) || uv.Value != "9" {
		t.Errorf("Marshal(9) error = %v", err)
	}

	var l level = 1
	for text, want := range map[string]level{"HIGH": 2, " 高 ": 2, "較高": 2, "low": 1, "": 0, "\u3000": 0} {
		if err := Unmarshal(levels, "level", []byte(text), &l); err != nil || l != want {
			t.Errorf("Unmarshal(%q) = %d, %v", text, l, err)
		}
	}
	l = 1
	err = Unmarshal(levels, "level", []byte("medium"), &l)
	if !errors.Is(err, ErrUnknownValue) || l != 1 {
		t.Errorf("Unmarshal(medium) = %d, %v; the value must not change", l, err)
	}
	if err.Error() != `govshare: unknown level "medium" (accepted: low, high or the Chinese term)` {
		t.Errorf("message: %s", err)
	}
	if got := levels.Terms(); len(got) != 2 || got[0] != "低" || got[1] != "高" {
		t.Errorf("Terms = %v", got)
	}
}
