package silentreg

import (
	"errors"
	"io"
)

// listenAll opens one shared socket per key and, when one fails, closes
// those it opened in a deferred cleanup, each by its own Close (which
// unregisters it when its last reference goes): the factory's package
// answers for that close once, in the unregister check, not here.
func listenAll(keys []string, c io.Closer) (out []any, err error) {
	defer func() {
		if err == nil {
			return
		}
		for _, ln := range out {
			if cl, ok := ln.(io.Closer); ok {
				cl.Close()
			}
		}
	}()
	for _, k := range keys {
		if k == "" {
			return nil, errors.New("empty key")
		}
		var ln any = listen(k, false, c)
		out = append(out, ln)
	}
	return out, nil
}
