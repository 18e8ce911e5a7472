package govshare

import (
	"fmt"

	"github.com/govshare/govshare/internal/textcode"
)

// Severity says how much a Finding matters.
type Severity uint8

const (
	// Info is 提示: worth knowing, nothing to fix.
	Info Severity = iota + 1
	// Warning is 警告: probably wrong; does not block publishing.
	Warning
	// Error is 错误: breaks a rule; blocks publishing or the transition.
	Error
)

var severities = textcode.Table[Severity]{
	{Value: Info, Code: "info", Zh: "提示", En: "info"},
	{Value: Warning, Code: "warning", Zh: "警告", En: "warning"},
	{Value: Error, Code: "error", Zh: "错误", En: "error"},
}

// String returns the Chinese term: 提示, 警告 or 错误.
func (s Severity) String() string { return textcode.String(severities, "Severity", s) }

// MarshalText returns the stable code: info, warning or error.
func (s Severity) MarshalText() ([]byte, error) { return textcode.Marshal(severities, "severity", s) }

// UnmarshalText accepts the stable code or the Chinese term.
func (s *Severity) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(severities, "severity", text, s)
}

// Citation says where a rule comes from: a rule id of docs/regulation.md and the
// chapter of the regulation, another law or standard, or a policy default.
type Citation struct {
	// Rule is the stable rule id, R1…R26 of docs/regulation.md, or empty
	// for other sources.
	Rule string `json:"rule,omitempty"`
	// Source is the chapter of the regulation (第三章 目录管理) or the other
	// law or standard (数据安全法 第二十一条, GB/T 43697-2024).
	Source string `json:"source,omitempty"`
	// PolicyDefault is true when the rule or number is a configurable
	// default of govshare or the host, not law.
	PolicyDefault bool `json:"policy_default,omitempty"`
}

// String returns e.g. "R7 第三章 目录管理" or "政策默认值（policy default）".
func (c Citation) String() string {
	s := c.Rule
	if c.Source != "" {
		if s != "" {
			s += " "
		}
		s += c.Source
	}
	if c.PolicyDefault {
		if s != "" {
			s += "，"
		}
		s += "政策默认值（policy default）"
	}
	return s
}

// Regulation is the short title of the regulation govshare implements.
const Regulation = "政务数据共享条例"

var chapters = map[string]string{
	"R1": "第二章 管理体制", "R2": "第二章 管理体制", "R3": "第二章 管理体制", "R4": "第二章 管理体制",
	"R5": "第三章 目录管理", "R6": "第三章 目录管理", "R7": "第三章 目录管理",
	"R8": "第四章 共享使用", "R9": "第四章 共享使用", "R10": "第四章 共享使用", "R11": "第四章 共享使用",
	"R12": "第四章 共享使用", "R13": "第四章 共享使用",
	"R14": "民法典 第二百零一条、第二百零三条",
	"R15": "第五章 平台支撑",
	"R16": "第六章 保障措施", "R17": "第六章 保障措施", "R18": "第六章 保障措施",
	"R19": "第四章 共享使用", "R20": "第四章 共享使用", "R21": "第四章 共享使用",
	"R22": "第四章 共享使用", "R23": "第四章 共享使用", "R24": "第四章 共享使用",
	"R25": "第五章 平台支撑", "R26": "第六章 保障措施",
}

// Rule returns the citation of a rule id of docs/regulation.md, with the chapter
// of 政务数据共享条例 it comes from (R14, the counting of periods, comes from
// the Civil Code). It panics on an id that is not defined, because rule ids
// are constants in code, never input.
func Rule(id string) Citation {
	ch, ok := chapters[id]
	if !ok {
		panic(fmt.Sprintf("govshare: undefined rule id %q", id))
	}
	if id != "R14" {
		ch = Regulation + " " + ch
	}
	return Citation{Rule: id, Source: ch}
}

// PolicyDefault returns the citation of a configurable default, naming what
// it rests on (may be empty).
func PolicyDefault(basis string) Citation {
	return Citation{Source: basis, PolicyDefault: true}
}

// Finding is one problem (or remark) found by a check: a stable code for
// programs, a severity, the path of the field concerned, a message in
// Chinese and in English, and the rule it enforces.
type Finding struct {
	// Code is stable across releases, e.g. "catalog.conditions_missing".
	Code string `json:"code"`
	// Severity says whether the finding blocks publishing.
	Severity Severity `json:"severity"`
	// Path locates the field: "share", "items[3].share", or for imported
	// files "数据项!F12".
	Path string `json:"path,omitempty"`
	// Message is the Chinese message shown to users.
	Message string `json:"message"`
	// MessageEN is the English message.
	MessageEN string `json:"message_en"`
	// Citation is the rule the finding enforces.
	Citation Citation `json:"citation"`
}

// String returns "错误 items[3].share: … [R7 …]".
func (f Finding) String() string {
	s := f.Severity.String()
	if f.Path != "" {
		s += " " + f.Path
	}
	s += "：" + f.Message
	if c := f.Citation.String(); c != "" {
		s += "〔" + c + "〕"
	}
	return s
}

// HasError reports whether any finding has severity Error.
func HasError(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}
