package closed

// A response built in the function, like silentreal's mocks, but kept in
// a package-level table: its index outlives the function, and the broker
// it names is closed while still in it.

type mockBroker struct{ done chan struct{} }

func (b *mockBroker) Close() { close(b.done) } // want Close:"close p0; close p0\\.done"

type coordResponse struct{ coordinators map[string]*mockBroker }

func newCoordResponse() *coordResponse { // want newCoordResponse:"delete _ from coordResponse.coordinators"
	return &coordResponse{coordinators: make(map[string]*mockBroker)}
}

func (r *coordResponse) SetCoordinator(group string, b *mockBroker) *coordResponse { // want SetCoordinator:"insert p2 into coordResponse.coordinators"
	r.coordinators[group] = b
	return r
}

var responses = map[string]*coordResponse{}

func keepCoordinator() { // want keepCoordinator:"delete _ from coordResponse.coordinators"
	broker := &mockBroker{done: make(chan struct{})}
	defer broker.Close() // want `broker closed by broker.Close while still in index coordResponse.coordinators`
	responses["g"] = newCoordResponse().SetCoordinator("g", broker)
}
