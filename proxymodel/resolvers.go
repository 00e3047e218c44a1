package proxymodel

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
)

// DefaultResolvers is the name of the implicit resolvers section.
const DefaultResolvers = "default"

// ErrNoNameserver is returned when resolv.conf has no usable nameserver.
var ErrNoNameserver = errors.New("proxymodel: resolv.conf has no usable nameserver")

// Resolvers is a resolvers section (HAProxy's struct resolvers). It owns a
// proxy, named after the section, that carries its DNS traffic.
type Resolvers struct {
	ID          string
	Implicit    bool // created by ResolversCreateDefault, not by the configuration
	Nameservers []Nameserver
	Options     ResolvOptions
	px          *Proxy
}

// Proxy returns the section's proxy.
func (r *Resolvers) Proxy() *Proxy { return r.px }

// FindResolversByID returns the resolvers section named id, or nil.
func (proc *Process) FindResolversByID(id string) *Resolvers {
	for _, r := range proc.resolvers {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// ResolversNew creates the resolvers section id and its proxy (HAProxy's
// resolvers_new). Section names are unique.
func (proc *Process) ResolversNew(id string) (*Resolvers, error) {
	if proc.FindResolversByID(id) != nil {
		return nil, fmt.Errorf("proxymodel: resolvers section %q already exists", id)
	}
	px, err := proc.AllocNewProxy(id, CapFE|CapBE)
	if err != nil {
		return nil, err
	}
	r := &Resolvers{ID: id, px: px}
	proc.resolvers = append(proc.resolvers, r)
	return r, nil
}

// ResolversDestroy removes the section r and frees its proxy (HAProxy's
// resolvers_destroy).
func (proc *Process) ResolversDestroy(r *Resolvers) {
	proc.resolvers = slices.DeleteFunc(proc.resolvers, func(x *Resolvers) bool { return x == r })
	proc.DeinitProxy(r.px)
	r.px = nil
}

// ResolversCreateDefault creates the implicit "default" resolvers section
// from resolv.conf (HAProxy's resolvers_create_default). If a section named
// "default" exists already, it returns that one and does nothing else.
//
// The implicit section is created first and destroyed again when resolv.conf
// is missing, unreadable, or lists no usable nameserver; the result is then
// nil and the error says why (errors.Is works with fs.ErrNotExist and
// ErrNoNameserver). When resolv.conf has bad lines besides usable
// nameservers, the section is returned together with the *ParseError.
func (proc *Process) ResolversCreateDefault() (*Resolvers, error) {
	if r := proc.FindResolversByID(DefaultResolvers); r != nil {
		return r, nil
	}
	r, err := proc.ResolversNew(DefaultResolvers)
	if err != nil {
		return nil, err
	}
	r.Implicit = true
	conf, err := proc.readResolvConf()
	if conf == nil || len(conf.Nameservers) == 0 {
		proc.ResolversDestroy(r)
		return nil, errors.Join(ErrNoNameserver, err)
	}
	r.Nameservers, r.Options = conf.Nameservers, conf.Options
	return r, err
}

// readResolvConf reads and parses the process's resolv.conf. The result is
// nil when the file cannot be read.
func (proc *Process) readResolvConf() (*ResolvConf, error) {
	if proc.fsys == nil {
		return nil, fmt.Errorf("read resolv.conf: %w", fs.ErrNotExist)
	}
	data, err := fs.ReadFile(proc.fsys, proc.confPath)
	if err != nil {
		return nil, fmt.Errorf("read resolv.conf: %w", err)
	}
	return ParseResolvConf(data)
}
