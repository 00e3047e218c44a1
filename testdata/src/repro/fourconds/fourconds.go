// Package fourconds: four objects' worth of conditional inserts, then a free on the
// error path. The free must be reported (p may be in any of the four maps).
package fourconds

import (
	"errors"
	"sync"
)

type Peer struct{ ID, Name, Addr, Group string }

var pool = sync.Pool{New: func() any { return new(Peer) }}

var (
	byID    = map[string]*Peer{}
	byName  = map[string]*Peer{}
	byAddr  = map[string]*Peer{}
	byGroup = map[string]*Peer{}
)

func Add(id, name, addr, group string, ok func(*Peer) bool) (*Peer, error) { // want Add:"free r0; insert r0 into byAddr if .*; insert r0 into byGroup if .*; insert r0 into byID if .*; insert r0 into byName if .*"
	p := pool.Get().(*Peer)
	p.ID, p.Name, p.Addr, p.Group = id, name, addr, group
	if id != "" {
		byID[id] = p
	}
	if name != "" {
		byName[name] = p
	}
	if addr != "" {
		byAddr[addr] = p
	}
	if group != "" {
		byGroup[group] = p
	}
	if !ok(p) {
		pool.Put(p) // want `p freed by pool.Put while still in indexes byID, byName, byAddr and byGroup \(byID: inserted at fourconds.go:25; .*\); delete it from each first \[freed\]`
		return nil, errors.New("invalid peer")
	}
	return p, nil
}
