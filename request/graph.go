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
	for _, t := range machine.table {
		if t.housekeeping() {
			continue // the system's records that change nothing, listed in Markdown's table
		}
		from := t.From.Code()
		if t.From == New {
			from = "[*]"
		}
		label := t.Command.Code()
		for _, g := range t.r.guards {
			if g.label != "" {
				label += " (" + g.label + ")"
			}
		}
		if t.Auto {
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
	b.WriteString("Every row carries who may issue the command, its guards, the watches it arms and ends, and the rule it implements; `request.Apply` runs this table and nothing beside it. Final states (no row leaves them but records and objections): ")
	var final []string
	for _, s := range States() {
		if s.Final() {
			final = append(final, "`"+s.Code()+"`")
		}
	}
	b.WriteString(strings.Join(final, ", ") + ".\n\n")
	b.WriteString("```mermaid\n")
	b.WriteString(Mermaid())
	b.WriteString("```\n\n")
	b.WriteString("The diagram leaves out the rows the system issues without changing the state (reminders, the delivery of notices); the table lists them.\n\n")
	b.WriteString("| From | Command | Who may issue it | To | Guards | Arms | Ends | Rule |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, t := range machine.table {
		who := make([]string, len(t.Who))
		for i, w := range t.Who {
			who[i] = w.String()
		}
		to := fmt.Sprintf("%s `%s`", t.To, t.To.Code())
		if t.Stay {
			to = "(unchanged)"
		}
		var guards []string
		for _, g := range t.Guards {
			guards = append(guards, g.Zh+"（"+g.En+"）")
		}
		if t.Auto {
			guards = append(guards, "系统自动发出（issued automatically）")
		}
		if t.Suspends {
			guards = append(guards, "中止并记住原状态（suspends; the state left is kept）")
		}
		fmt.Fprintf(&b, "| %s `%s` | %s `%s` | %s | %s | %s | %s | %s | %s |\n",
			t.From, t.From.Code(), t.Command, t.Command.Code(), strings.Join(who, "、"), to,
			strings.Join(guards, "；"), watchCodes(t.Arms), watchCodes(t.Ends), t.Rule)
	}
	b.WriteString("\n## Watches\n\nDerived from the rows: a watch runs in the state a row arms it in, and on along every row that neither ends it nor suspends without keeping it.\n\n")
	b.WriteString("| Watch | Runs in |\n| --- | --- |\n")
	for _, w := range Watches() {
		var in []string
		for _, s := range States() {
			if w.RunsIn(s) {
				in = append(in, "`"+s.Code()+"`")
			}
		}
		fmt.Fprintf(&b, "| %s `%s` | %s |\n", w, w.Code(), strings.Join(in, ", "))
	}
	return b.String()
}

func watchCodes(ws []Watch) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = "`" + w.Code() + "`"
	}
	return strings.Join(out, " ")
}

// housekeeping reports whether the row is one the system issues only to
// record something without changing the state.
func (t Transition) housekeeping() bool {
	return t.Stay && len(t.Who) == 1 && t.Who[0].Side == SystemSide
}
