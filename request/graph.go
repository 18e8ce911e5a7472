package request

import (
	"fmt"
	"strings"
)

// Mermaid returns the state diagram of the transition table in Mermaid
// syntax. It is generated from the same declaration Apply uses, so the
// diagram in the docs cannot drift from the code (a golden-file test
// checks it).
func Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, s := range States()[1:] {
		fmt.Fprintf(&b, "    state \"%s %s\" as %s\n", s, s.Code(), s.Code())
	}
	type edge struct{ from, to, label string }
	var edges []edge
	seen := map[string]int{}
	for _, t := range table {
		if t.Command == CmdAlert || t.Command == CmdAckNotice {
			continue // housekeeping self-transitions, listed in Markdown's table
		}
		from := t.From.Code()
		if t.From == New {
			from = "[*]"
		}
		label := t.Command.Code()
		if t.When != "" && t.Command == CmdObject {
			label += " (" + strings.TrimPrefix(t.When, "ground: ") + ")"
		}
		if t.Who[0] == system && len(t.Who) == 1 && t.Command == CmdAgree {
			label += " (auto)"
		}
		key := from + "|" + t.To.Code()
		if i, ok := seen[key]; ok {
			if !strings.Contains(edges[i].label, label) {
				edges[i].label += ", " + label
			}
			continue
		}
		seen[key] = len(edges)
		edges = append(edges, edge{from, t.To.Code(), label})
	}
	for _, e := range edges {
		fmt.Fprintf(&b, "    %s --> %s : %s\n", e.from, e.to, e.label)
	}
	for _, s := range States() {
		if s.Final() {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.Code())
		}
	}
	return b.String()
}

// Markdown returns the documentation page of the state machine: the
// diagram and every row of the table with who may issue the command and
// the rule it implements.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# The 共享申请 state machine\n\n")
	b.WriteString("Generated from `request.Table()` by `go test ./request -run TestDocsGolden -update`; do not edit by hand.\n\n")
	b.WriteString("```mermaid\n")
	b.WriteString(Mermaid())
	b.WriteString("```\n\n")
	b.WriteString("The diagram leaves out `alert` and `ack_notice`, which the system issues to record reminders and the delivery of notices without changing the state; the table lists them.\n\n")
	b.WriteString("| From | Command | Who may issue it | To | Condition | Rule |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	for _, t := range table {
		who := make([]string, len(t.Who))
		for i, w := range t.Who {
			who[i] = w.String()
		}
		to := fmt.Sprintf("%s `%s`", t.To, t.To.Code())
		if t.Stay {
			to = "(unchanged)"
		}
		fmt.Fprintf(&b, "| %s `%s` | %s `%s` | %s | %s | %s | %s |\n",
			t.From, t.From.Code(), t.Command, t.Command.Code(), strings.Join(who, "、"), to, t.When, t.Rule)
	}
	return b.String()
}
