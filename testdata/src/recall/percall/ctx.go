package percall

import "context"

// A poller made for the call derives its context from the caller's: the
// child the context package keeps is its own bookkeeping, undone when
// the parent is canceled.
type poller struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (p *poller) start(parent context.Context) { p.ctx, p.cancel = context.WithCancel(parent) } // want start:"delete _ from cancelCtx.children; insert p0.ctx into cancelCtx.children locked"

func pollOnce(parent context.Context) error { // want pollOnce:"delete _ from cancelCtx.children"
	p := &poller{}
	p.start(parent)
	return p.ctx.Err()
}
