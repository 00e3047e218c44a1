package rules

import (
	"cmp"
	"errors"
	"slices"
)

// JoinErrors joins the problems in errs (each nil, an error, or errors
// joined with errors.Join) into one error that prints one problem a
// line: the errors that are not *FileError first, then the *FileErrors
// by file, in the order the files first appear, and by line. It returns
// nil when there is no problem, and the problem itself when there is one.
func JoinErrors(errs ...error) error {
	var flat []error
	for _, err := range errs {
		flat = appendFlat(flat, err)
	}
	files := make(map[string]int)
	for _, err := range flat {
		if fe, ok := err.(*FileError); ok {
			if _, seen := files[fe.File]; !seen {
				files[fe.File] = len(files)
			}
		}
	}
	slices.SortStableFunc(flat, func(a, b error) int {
		fa, aok := a.(*FileError)
		fb, bok := b.(*FileError)
		switch {
		case !aok || !bok:
			return cmp.Compare(btoi(aok), btoi(bok))
		}
		return cmp.Or(cmp.Compare(files[fa.File], files[fb.File]), cmp.Compare(fa.Line, fb.Line))
	})
	if len(flat) == 1 {
		return flat[0]
	}
	return errors.Join(flat...)
}

// appendFlat appends err to flat, or the errors it joins.
func appendFlat(flat []error, err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			flat = appendFlat(flat, e)
		}
		return flat
	}
	if err != nil {
		flat = append(flat, err)
	}
	return flat
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
