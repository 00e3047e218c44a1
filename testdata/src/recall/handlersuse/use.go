// Package handlersuse creates and closes what package handlers registers:
// whether the reader's Close unregisters it is a question for package
// handlers (reported there once), not for each caller.
package handlersuse

import "recall/handlers"

func readOnce(c *handlers.Client) error {
	r, err := c.CreateReader()
	if err != nil {
		return err
	}
	r.Close()
	return nil
}

// readInBackground closes the reader in a goroutine: still the handlers
// package's question.
func readInBackground(c *handlers.Client) error {
	r, err := c.CreateReader()
	if err != nil {
		return err
	}
	go func() { r.Close() }()
	return nil
}
