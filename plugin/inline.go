package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Rule is an inline rule: the fields of a rules file entry.
type Rule struct {
	Func   string `json:"func"`
	Op     string `json:"op"`
	Index  Param  `json:"index,omitempty"`
	Object Param  `json:"object,omitempty"`
}

// Param names a parameter: its name, its position (0 is a method's
// receiver) or _. YAML gives a position as a number.
type Param string

// UnmarshalJSON accepts a string or a non-negative integer.
func (p *Param) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*p = Param(s)
		return nil
	}
	var n uint
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("a parameter is a name, a position or _, not %s", data)
	}
	*p = Param(strconv.FormatUint(uint64(n), 10))
	return nil
}

// inlineName is the file name rules.ParseFile is given for inline rules;
// errors that carry it are rewritten by inlineError.
const inlineName = "settings.rules"

// inlineFile turns the inline rules into a rules file, so that they are
// checked and resolved exactly as a rules file is. Each rule is written on
// line i+2 of the file, so that a problem's line gives back its rule.
func inlineFile(rs []Rule) (*rules.File, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	var b strings.Builder
	b.WriteString("rules:\n")
	for _, r := range rs {
		var fields []string
		for _, kv := range [][2]string{{"func", r.Func}, {"op", r.Op}, {"index", string(r.Index)}, {"object", string(r.Object)}} {
			if kv[1] != "" {
				fields = append(fields, kv[0]+": "+strconv.Quote(kv[1]))
			}
		}
		fmt.Fprintf(&b, "  - {%s}\n", strings.Join(fields, ", "))
	}
	f, err := rules.ParseFile(inlineName, []byte(b.String()))
	if err != nil {
		return nil, inlineError(err, rs)
	}
	return f, nil
}

// inlineError rewrites the problems of the inline rules in err to name the
// rule (settings.rules[i]) rather than a line of the generated file.
func inlineError(err error, rs []Rule) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for i, e := range errs {
		var fe *rules.FileError
		if !errors.As(e, &fe) || fe.File != inlineName {
			continue
		}
		errs[i] = fmt.Errorf("%s settings: %s", analyzer.Name, describeRule(fe, rs))
	}
	return errors.Join(errs...)
}

func describeRule(fe *rules.FileError, rs []Rule) string {
	i := fe.Line - 2
	if i < 0 || i >= len(rs) {
		return fmt.Sprintf("rules: %s", fe.Msg)
	}
	return fmt.Sprintf("rules[%d] (func %q): %s", i, rs[i].Func, fe.Msg)
}
