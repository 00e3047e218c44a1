package undo

import (
	"context"
	"errors"
	"fmt"
)

// False alarms found on real modules, each silent now.

// Closer is badger's z.Closer: a context of its own, whose cancel
// function is kept. context.WithCancel registers the new context in its
// parent's children (the standard library's own index); the undo check
// leaves the standard library's bookkeeping to it.
type Closer struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewCloser(parent context.Context) *Closer { // want NewCloser:"insert r0\\.ctx into cancelCtx\\.children"
	c := &Closer{}
	c.ctx, c.cancel = context.WithCancel(parent)
	return c
}

func (c *Closer) Signal() { c.cancel() }

type Store struct {
	health *Closer
}

func (s *Store) openTables() error { return nil }
func (s *Store) replay() error     { return nil }

// Silent: open fails on three paths and signals the closer on two.
func Open(parent context.Context) (*Store, error) { // want Open:"delete _ from cancelCtx\\.children"
	s := &Store{}
	s.health = NewCloser(parent)
	if err := s.openTables(); err != nil {
		s.health.Signal()
		return nil, err
	}
	if err := s.replay(); err != nil {
		s.health.Signal()
		return nil, err
	}
	if parent.Err() != nil {
		return nil, errors.New("cancelled while opening")
	}
	return s, nil
}

// Row is a result being built: its map is made here and stored in the
// row's field at the end (go-redis's ProcessAggregateResult). A failing
// return drops the whole row, so nothing is left anywhere.
type Row struct {
	Fields map[string]any
}

// Silent: the map is this call's own until the row is returned.
func parseRows(data [][]any) ([]Row, error) { // want parseRows:"delete _ from Row\\.Fields"
	var rows []Row
	for _, fields := range data {
		m := make(map[string]any)
		for i := 0; i+1 < len(fields); i += 2 {
			key, ok := fields[i].(string)
			if !ok {
				return nil, fmt.Errorf("field %d: not a string", i)
			}
			m[key] = fields[i+1]
		}
		if len(m) == 0 {
			delete(m, "")
			return nil, errors.New("empty row")
		}
		rows = append(rows, Row{Fields: m})
	}
	return rows, nil
}

type worker struct{ ctx context.Context }

func (w *worker) init() error { return nil }
func (w *worker) load() error { return nil }

// Silent: a context made for the worker, cancelled on two failing
// returns and not on the third (go vet's lostcancel has that to say;
// the index, the parent's children, is the standard library's).
func startWorker(parent context.Context) (*worker, error) { // want startWorker:"delete _ from cancelCtx\\.children"
	ctx, cancel := context.WithCancel(parent)
	w := &worker{ctx: ctx}
	if err := w.init(); err != nil {
		cancel()
		return nil, err
	}
	if err := w.load(); err != nil {
		cancel()
		return nil, err
	}
	if parent.Err() != nil {
		return nil, errors.New("cancelled")
	}
	go func() { <-ctx.Done(); cancel() }()
	return w, nil
}
