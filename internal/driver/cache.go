package driver

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"
)

// The cache keeps unused entries this long, and trims at most this often.
const (
	cacheKeep  = 5 * 24 * time.Hour
	cacheTrim  = 24 * time.Hour
	cacheTouch = time.Hour // an entry's use is recorded at most this often
)

// A cache is a directory of results by key: for each, files KEY-m (a
// meta gob: diagnostics, errors, output hash), KEY-e (export data) and
// KEY-f (facts). The meta file is written last: an entry is there when it
// is.
type cache struct{ dir string }

// openCache opens the cache in dir ("" for the default, "off" for none).
func openCache(dir string) (*cache, error) {
	switch dir {
	case "off":
		return nil, nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no cache directory (%v): set -cache=DIR, or -cache=off", err)
		}
		dir = filepath.Join(base, "lifecyclecheck")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot make the cache directory: %v; set -cache=DIR, or -cache=off", err)
	}
	return &cache{dir: dir}, nil
}

// meta is what a cache entry says of a package besides its export data
// and facts.
type meta struct {
	OutHash     [32]byte
	Diagnostics []Diagnostic
	Errors      []packages.Error
	Err         string
	Broken      bool
}

// path returns the name of the file of key's entry with suffix.
func (c *cache) path(key [32]byte, suffix string) string {
	h := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, h[:2], h+"-"+suffix)
}

// load gives p the results of its key's entry and reports whether there
// was one. Export data and facts are read when asked for.
func (c *cache) load(p *Package) bool {
	name := c.path(p.key, "m")
	data, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	var m meta
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&m) != nil {
		return false
	}
	p.outHash, p.Diagnostics, p.Errors, p.broken = m.OutHash, m.Diagnostics, m.Errors, m.Broken
	switch m.Err {
	case "":
	case errSkipped.Error():
		p.Err = errSkipped
	default:
		p.Err = errors.New(m.Err)
	}
	p.Cached, p.entry = true, name[:len(name)-len("m")]
	if info, err := os.Stat(name); err == nil && time.Since(info.ModTime()) > cacheTouch {
		now := time.Now()
		_ = os.Chtimes(name, now, now) // recently used: not trimmed
	}
	return true
}

// store writes p's results under its key. A failure to write only costs
// the next run the time to analyse p again.
func (c *cache) store(p *Package) {
	m := meta{OutHash: p.outHash, Diagnostics: p.Diagnostics, Errors: p.Errors, Broken: p.broken}
	if p.Err != nil {
		m.Err = p.Err.Error()
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(m) != nil {
		return
	}
	if c.write(p.key, "e", p.export) != nil || c.write(p.key, "f", p.facts) != nil {
		return
	}
	_ = c.write(p.key, "m", buf.Bytes())
}

// write writes data to the entry file of key with suffix, atomically.
func (c *cache) write(key [32]byte, suffix string, data []byte) error {
	name := c.path(key, suffix)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// trim removes the entries not used for cacheKeep, at most once every
// cacheTrim.
func (c *cache) trim() {
	stamp := filepath.Join(c.dir, "trimmed")
	if info, err := os.Stat(stamp); err == nil && time.Since(info.ModTime()) < cacheTrim {
		return
	}
	_ = os.WriteFile(stamp, nil, 0o644)
	_ = filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		old := time.Since(info.ModTime()) > cacheKeep
		switch {
		case strings.HasSuffix(path, "-m") && old:
			base := strings.TrimSuffix(path, "m")
			for _, s := range []string{"m", "e", "f"} {
				os.Remove(base + s)
			}
		case strings.HasPrefix(d.Name(), ".tmp-") && old:
			os.Remove(path)
		}
		return nil
	})
}

// exportData returns p's export data, read from the cache if need be.
func (p *Package) exportData() ([]byte, error) {
	data, err := p.lazily(&p.export, "e", "export data")
	if err == nil && data == nil {
		err = fmt.Errorf("no export data for %s", p.ID)
	}
	return data, err
}

// dropExport lets p's export data go: no importer will read it again.
func (p *Package) dropExport() {
	p.mu.Lock()
	p.export = nil
	p.mu.Unlock()
}

// factData returns p's encoded facts (nil for none), read from the cache
// if need be.
func (p *Package) factData() ([]byte, error) {
	return p.lazily(&p.facts, "f", "facts")
}

// lazily returns *field, first read from the file of p's cache entry
// with suffix if it is not in memory.
func (p *Package) lazily(field *[]byte, suffix, what string) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if *field == nil && p.entry != "" {
		data, err := os.ReadFile(p.entry + suffix)
		if err != nil {
			return nil, fmt.Errorf("reading the %s of %s from the cache: %v", what, p.ID, err)
		}
		*field = data
	}
	return *field, nil
}
