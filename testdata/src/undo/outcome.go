package undo

import (
	"context"
	"errors"
	"sync"
)

// False alarms found in the standard library (net/http's Server.Serve,
// database/sql's Stmt.connStmt): a failing return that answers the
// outcome of the very call that inserted. The callee inserts only when
// it succeeds, so on that return nothing went in.

var errShutdown = errors.New("closed")

type listener struct{ addr string }

type HTTPServer struct {
	mu        sync.Mutex
	listeners map[*listener]struct{}
	closing   bool
}

// trackListener adds or removes l; it adds nothing once the server is
// shutting down, and says so.
func (srv *HTTPServer) trackListener(l *listener, add bool) bool { // want trackListener:"delete _ from HTTPServer\\.listeners if p2 == false; insert p1 into HTTPServer\\.listeners if p2 == true locked"
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if add {
		if srv.closing {
			return false
		}
		srv.listeners[l] = struct{}{}
	} else {
		delete(srv.listeners, l)
	}
	return true
}

func (l *listener) accept() (*listener, error) { return l, nil }

// Silent: the first failing return answers trackListener's own refusal;
// the deferred untrack covers the others.
func (srv *HTTPServer) Serve(l *listener) error { // want Serve:"delete _ from HTTPServer\\.listeners; insert p1 into HTTPServer\\.listeners locked"
	if !srv.trackListener(l, true) {
		return errShutdown
	}
	defer srv.trackListener(l, false)
	for {
		c, err := l.accept()
		if err != nil {
			return err
		}
		_ = c
	}
}

type driverConn struct{ id int }

type DB struct {
	mu  sync.Mutex
	dep map[*driverConn]bool
}

// conn hands out a connection and records it as a dependency, only when
// it returns no error.
func (db *DB) conn(ctx context.Context) (*driverConn, error) { // want conn:"insert r0 into DB\\.dep if r0 != nil locked"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dc := &driverConn{}
	db.mu.Lock()
	db.dep[dc] = true
	db.mu.Unlock()
	return dc, nil
}

func (db *DB) release(dc *driverConn) { // want release:"delete _ from DB\\.dep"
	db.mu.Lock()
	delete(db.dep, dc)
	db.mu.Unlock()
}

func (dc *driverConn) prepare() error { return nil }

// Silent: the first failing return returns conn's own error, through
// the named result.
func (db *DB) connStmt(ctx context.Context) (dc *driverConn, err error) { // want connStmt:"delete _ from DB\\.dep; insert r0 into DB\\.dep locked"
	dc, err = db.conn(ctx)
	if err != nil {
		return nil, err
	}
	if err = dc.prepare(); err != nil {
		db.release(dc)
		return nil, err
	}
	return dc, nil
}
