// Package partialdecl has no function that removes a connection from
// both of its indexes: the group comes from the rules file (groups:), as
// a maintainer keeps it from lifecyclecheck -learned.
package partialdecl

type Conn struct {
	id, addr string
	done     chan struct{}
}

func (c *Conn) Close() { close(c.done) } // want Close:"close p0; close p0\\.done"

type Table struct {
	byID   map[string]*Conn
	byAddr map[string]*Conn
}

// drop closes the connection and leaves it under its address.
func (t *Table) drop(c *Conn) { // want drop:"delete _ from Table\\.byID; close p1 after delete _ from Table\\.byID; close p1\\.done after delete _ from Table\\.byID"
	delete(t.byID, c.id) // want `c removed from Table\.byID but left in Table\.byAddr: the rules file groups all 2 \[partial\]`
	c.Close()
}

// Silent: a lookup that removes nothing.
func (t *Table) find(id string) *Conn { return t.byID[id] } // want find:"insert r0 into Table\\.byID"
