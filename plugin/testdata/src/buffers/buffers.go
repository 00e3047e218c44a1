package buffers

import "bytes"

var byName = map[string]*bytes.Buffer{}

func reset(name string) { // want reset:"delete key p0 from byName"
	b := new(bytes.Buffer)
	byName[name] = b
	b.Reset() // want `b freed by .*Reset while still in index byName`
}
