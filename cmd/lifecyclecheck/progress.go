package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// progressDelay is how long a run goes before it shows progress: quick
// runs print nothing.
const progressDelay = 2 * time.Second

// progress shows, on a terminal, how many packages a long run has
// analysed. A nil *progress shows nothing.
type progress struct {
	w           io.Writer
	total, done atomic.Int64
	quit        chan struct{}
	wg          sync.WaitGroup
	shown       bool // written by the ticking goroutine, read after it ends
}

// startProgress shows progress on w from progressDelay on, if w is a
// terminal; else it returns nil.
func startProgress(w io.Writer, terminal bool) *progress {
	if !terminal {
		return nil
	}
	return startProgressAfter(w, progressDelay, 250*time.Millisecond)
}

// startProgressAfter rewrites the progress line every period once delay
// has passed.
func startProgressAfter(w io.Writer, delay, period time.Duration) *progress {
	p := &progress{w: w, quit: make(chan struct{})}
	p.wg.Add(1)
	go p.tick(delay, period)
	return p
}

func (p *progress) tick(delay, period time.Duration) {
	defer p.wg.Done()
	select {
	case <-p.quit:
		return
	case <-time.After(delay):
	}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		p.show()
		select {
		case <-p.quit:
			return
		case <-t.C:
		}
	}
}

// show rewrites the progress line.
func (p *progress) show() {
	p.shown = true
	if total := p.total.Load(); total > 0 {
		fmt.Fprintf(p.w, "\rlifecyclecheck: %d/%d packages analysed\x1b[K", p.done.Load(), total)
	} else {
		fmt.Fprint(p.w, "\rlifecyclecheck: loading packages\x1b[K")
	}
}

// setTotal gives the number of packages to analyse.
func (p *progress) setTotal(n int) {
	if p != nil {
		p.total.Store(int64(n))
	}
}

// finished counts one package finished: analysed, read from the cache or
// skipped.
func (p *progress) finished() {
	if p != nil {
		p.done.Add(1)
	}
}

// stop ends the display and erases the progress line, before the findings
// are printed.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
