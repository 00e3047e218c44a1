package partial

import "errors"

// Groups learned from inserts: add puts a link in byID and byPeer on
// one path; drop takes it out of byID only and closes it, while no
// function removes one from both.
type link struct{ id, peer string }

func (l *link) Close() error { return nil } // want `\(\*link\)\.Close leaves l in Links\.byPeer: open registers it there`

type Links struct {
	byID   map[string]*link
	byPeer map[string]*link
}

func (t *Links) add(l *link) { // want add:"insert p1 into Links.byID; insert p1 into Links.byPeer"
	t.byID[l.id] = l
	t.byPeer[l.peer] = l
}

func (t *Links) drop(l *link) { // want drop:"delete _ from Links.byID; close p1 after delete _ from Links.byID"
	delete(t.byID, l.id) // want `l removed from Links\.byID but left in Links\.byPeer: \(\*Links\)\.add puts it in all 2 \[partial\]`
	l.Close()
}

// open undoes its own create on failure: the link was only ever in
// byID there.
func (t *Links) open(id, peer string) (*link, error) { // want open:"delete _ from Links.byID if \\(p2 == \"\"\\) == true; insert r0 into Links.byID if r0 != nil; insert r0 into Links.byPeer if r0 != nil"
	l := &link{id: id, peer: peer}
	t.byID[id] = l
	if peer == "" {
		delete(t.byID, id)
		l.Close()
		return nil, errors.New("no peer")
	}
	t.byPeer[peer] = l
	return l, nil
}
