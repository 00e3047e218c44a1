package silentreal

// The index dies with its owner: a starter makes the server, fills its
// listener map and, when a later step fails, closes each listener in a
// deferred cleanup and then the server, and returns nil. The listeners
// stay in a map of a server no one will see again (etcd's StartEtcd).

type servCtx struct {
	stop chan struct{}
}

func (c *servCtx) close() { // want close:"close p0\\.stop"
	close(c.stop)
}

type peerNode struct {
	ctxs map[string]*servCtx
	stop chan struct{}
}

func (n *peerNode) Close() { // want Close:"close p0\\.stop"
	close(n.stop)
}

var errStart = errorString("start failed")

type errorString string

func (e errorString) Error() string { return string(e) }

func startPeerNode(fail bool) (n *peerNode, err error) { // want startPeerNode:"delete _ from peerNode.ctxs"
	serving := false
	n = &peerNode{stop: make(chan struct{})}
	defer func() {
		if n == nil || err == nil {
			return
		}
		if !serving {
			for _, c := range n.ctxs {
				c.close()
			}
		}
		n.Close()
		n = nil
	}()
	n.ctxs = map[string]*servCtx{"a": {stop: make(chan struct{})}}
	if fail {
		return n, errStart
	}
	serving = true
	return n, nil
}
