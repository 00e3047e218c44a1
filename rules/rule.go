package rules

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

var ruleKeys = []string{"func", "op", "index", "object"}

// rule checks the shape of one rule; ok is false if it reported a problem.
func (p *fileParser) rule(n *yaml.Node) (r Rule, ok bool) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "each rule must be a mapping: write func:, op:, object: and, for insert, index:")
		return Rule{}, false
	}
	before := len(p.errs)
	m := p.mapping(n, "a rule", ruleKeys...)
	r = Rule{Line: n.Line}
	r.Func = p.funcName(n, m["func"])
	r.Op = p.kind(n, m["op"])
	r.Index = p.ref("index", m["index"])
	r.Object = p.ref("object", m["object"])
	if len(p.errs) == before {
		r.Index = p.checkRefs(r, n, m["index"])
	}
	return r, len(p.errs) == before
}

// funcName returns the checked func of rule n.
func (p *fileParser) funcName(n, v *yaml.Node) string {
	const want = "(*pkg/path.Type).Method, (pkg/path.Type).Method or pkg/path.Func"
	switch {
	case v == nil:
		p.errorf(n.Line, "rule has no func: add func: %s", want)
	case !isString(v):
		p.errorf(v.Line, "func must be a string: write %s", want)
	default:
		if _, err := parseFuncName(v.Value); err != nil {
			p.errorf(v.Line, "%v", err)
		}
		return v.Value
	}
	return ""
}

// kind returns the op of rule n, or 0.
func (p *fileParser) kind(n, v *yaml.Node) Kind {
	switch {
	case v == nil:
		p.errorf(n.Line, "rule has no op: add op: %s", opList)
	case !isString(v):
		p.errorf(v.Line, "op must be %s", opList)
	default:
		if k, ok := verbKind(v.Value); ok {
			return k
		}
		p.errorf(v.Line, "unknown op %q: want %s", v.Value, opList)
	}
	return 0
}

// opList names the ops of a rule for messages.
const opList = "insert, delete, free, close, keep or none"

// ref returns the parameter reference under key, or "" if it is absent or
// malformed.
func (p *fileParser) ref(key string, v *yaml.Node) string {
	switch {
	case v == nil:
	case (isString(v) || v.Tag == "!!int") && isRef(v.Value):
		return v.Value
	default:
		p.errorf(v.Line, "%s must name a parameter: write its name, its position (0 is a method's receiver) or _", key)
	}
	return ""
}

// checkRefs checks that the index and object of r suit its op, and returns
// the index with its default: _ for delete.
func (p *fileParser) checkRefs(r Rule, n, index *yaml.Node) string {
	op := r.Op.String()
	switch {
	case r.Object == "":
		p.errorf(n.Line, "%s rule has no object: add object: PARAM", op)
	case r.Op.Unary() && index != nil:
		p.errorf(index.Line, "%s rule takes no index: remove index", op)
	case r.Op.Unary() && r.Object == "_":
		p.errorf(n.Line, "%s rule needs the %s object: write object: PARAM, not _", op, participle(op))
	case r.Op == Insert && r.Index == "":
		p.errorf(n.Line, "insert rule has no index: add index: PARAM")
	case r.Op == Insert && (r.Index == "_" || r.Object == "_"):
		p.errorf(n.Line, "insert rule needs both index and object: name them; _ is only for delete")
	case r.Op == Delete && (r.Index == "" || r.Index == "_") && r.Object == "_":
		p.errorf(n.Line, "delete rule with index and object _ names neither: name at least one")
	case r.Op == Delete && r.Index == "":
		return "_"
	}
	return r.Index
}

func isString(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!str" }

// orList renders keys as "a, b or c".
func orList(keys []string) string {
	if len(keys) < 2 {
		return strings.Join(keys, "")
	}
	return fmt.Sprintf("%s or %s", strings.Join(keys[:len(keys)-1], ", "), keys[len(keys)-1])
}
