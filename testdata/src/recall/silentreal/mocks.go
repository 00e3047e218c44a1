package silentreal

// A test builds a mock response that names its broker, hands the response
// to the broker in a handler map, and closes the broker when it is done:
// the response, its map and the broker are all made in the test and die
// with it (sarama's mock brokers).

type mockBroker struct {
	handlers map[string]any
	done     chan struct{}
}

func newMockBroker() *mockBroker {
	return &mockBroker{done: make(chan struct{})}
}

func (b *mockBroker) SetHandlers(h map[string]any) { b.handlers = h } // want SetHandlers:"delete _ from mockBroker.handlers"

func (b *mockBroker) Close() { close(b.done) } // want Close:"close p0; close p0\\.done"

type coordResponse struct {
	coordinators map[string]*mockBroker
}

func newCoordResponse() *coordResponse { // want newCoordResponse:"delete _ from coordResponse.coordinators"
	return &coordResponse{coordinators: make(map[string]*mockBroker)}
}

func (r *coordResponse) SetCoordinator(group string, b *mockBroker) *coordResponse { // want SetCoordinator:"insert p2 into coordResponse.coordinators"
	r.coordinators[group] = b
	return r
}

func testCoordinator() { // want testCoordinator:"delete _ from mockBroker.handlers"
	broker := newMockBroker()
	defer broker.Close()
	broker.SetHandlers(map[string]any{
		"FindCoordinator": newCoordResponse().SetCoordinator("g", broker).SetCoordinator("h", broker),
	})
}
