package rules

import "fmt"

// Kind is what an operation does to an object's membership in an index.
type Kind int

const (
	// Insert stores the object in the index.
	Insert Kind = iota + 1
	// Delete removes the object from the index.
	Delete
	// Free ends the object's life; its memory may be handed out again.
	Free
	// Read returns an object that is in the index (a lookup).
	Read
	// Close ends the object's life while its memory stays: the object
	// must leave its indexes by the end of the path that closes it.
	Close
	// Keep takes ownership of the object for good: no end of its life
	// after the call is checked.
	Keep
	// None says the function does nothing to the object's lifecycle:
	// whatever the analyzer learned of it (an insert, a delete, a free, a
	// close) is wrong, and dropped.
	None
)

func (k Kind) String() string {
	switch k {
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	case Free:
		return "free"
	case Read:
		return "read"
	case Close:
		return "close"
	case Keep:
		return "keep"
	case None:
		return "none"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Unary reports whether operations of kind k name only an object (free,
// close, keep, none), not an index.
func (k Kind) Unary() bool { return k == Free || k == Close || k == Keep || k == None }

// Any stands for "_" in a directive or rule: as Index, whatever index holds
// the object (the object unlinks itself); as Object, every object of the
// index (a delete by key, as delete(m, k) does).
const Any = -1

// Op is one lifecycle operation a function performs, in terms of its
// parameters' positions. Position 0 is the receiver of a method, so that
// positions match the arguments of a static call in go/ssa.
type Op struct {
	Kind Kind
	// Index is the position of the parameter holding the index, or Any.
	Index int
	// Object is the position of the parameter holding the object, or Any.
	// For Read it is the position of the result that is in the index.
	Object int
}

func (op Op) String() string {
	pos := func(i int) string {
		if i == Any {
			return "_"
		}
		return fmt.Sprint(i)
	}
	switch op.Kind {
	case Free, Close, Keep, None:
		return fmt.Sprintf("%s %s", op.Kind, pos(op.Object))
	case Read:
		return fmt.Sprintf("read %s result %s", pos(op.Index), pos(op.Object))
	}
	return fmt.Sprintf("%s %s %s", op.Kind, pos(op.Index), pos(op.Object))
}
