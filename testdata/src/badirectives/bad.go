package badirectives

type T struct{ m map[string]*T }

// a has a directive with an unknown verb.
//
//lifecycle:frees x // want `unknown lifecycle directive "frees": want insert, delete, free, close, keep, none or ignore`
func a(x *T) {}

// b has a directive of the wrong arity.
//
//lifecycle:insert x // want `takes 2 names, got 1`
func b(x *T) {}

// c names something that is not a parameter.
//
//lifecycle:free y // want `y`
func c(x *T) {}

func d(x *T) {
	//lifecycle:ignore // want `needs a reason`
	_ = x
}

// e has a space after the slashes.
//
// lifecycle:free x // want `unexpected space after //`
func e(x *T) {}

//lifecycle:free x // want `misplaced`
var _ = 1
