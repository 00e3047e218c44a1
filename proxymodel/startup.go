package proxymodel

import (
	"fmt"
	"net/netip"
)

// ProxyConfig is a proxy section of the configuration: a frontend (CapFE), a
// backend (CapBE) or a listen section (CapListen).
type ProxyConfig struct {
	Name string
	Cap  Cap
}

// ResolversConfig is an explicit resolvers section of the configuration.
type ResolversConfig struct {
	Name        string
	Nameservers []netip.AddrPort
}

// Config is a tiny HAProxy configuration.
type Config struct {
	Resolvers []ResolversConfig
	Proxies   []ProxyConfig
}

// Startup builds the process from cfg: the explicit resolvers sections, then
// the implicit "default" section from resolv.conf, then the proxies.
//
// HAProxy parses proxies before it creates the default section; the model
// allocates them afterwards so that the first proxy allocated after a failed
// default section reuses its memory, as the next proxy did in issue 2942
// (the crashing insert had new == root). The order changes nothing for the
// fixed code.
//
// The warnings say why there is no default section, or which lines of
// resolv.conf were ignored. An error stops start-up; what was built until
// then stays in the process, for Stop to release.
func (proc *Process) Startup(cfg Config) (warnings []error, err error) {
	for _, rc := range cfg.Resolvers {
		r, err := proc.ResolversNew(rc.Name)
		if err != nil {
			return warnings, err
		}
		for _, addr := range rc.Nameservers {
			r.Nameservers = append(r.Nameservers, Nameserver{ID: addr.String(), Addr: addr})
		}
	}
	if _, err := proc.ResolversCreateDefault(); err != nil {
		warnings = append(warnings, err)
	}
	seen := make(map[string]Cap, len(cfg.Proxies))
	for _, pc := range cfg.Proxies {
		if pc.Cap&CapListen == 0 {
			return warnings, fmt.Errorf("proxymodel: proxy %q has no capability", pc.Name)
		}
		if seen[pc.Name]&pc.Cap != 0 {
			return warnings, fmt.Errorf("proxymodel: proxy %q has the same name as another proxy with a common capability", pc.Name)
		}
		seen[pc.Name] |= pc.Cap
		if _, err := proc.AllocNewProxy(pc.Name, pc.Cap); err != nil {
			return warnings, err
		}
	}
	return warnings, nil
}

// Stop releases everything: the resolvers sections, newest first, then every
// proxy left in the name index. Each proxy's name node is deleted before the
// proxy is freed.
func (proc *Process) Stop() {
	for len(proc.resolvers) > 0 {
		proc.ResolversDestroy(proc.resolvers[len(proc.resolvers)-1])
	}
	for n := proc.ProxyByName.First(); n != nil; n = proc.ProxyByName.First() {
		proc.DeinitProxy(n.Proxy())
	}
}

// Reload stops the process and starts it again with cfg, reusing the pool.
func (proc *Process) Reload(cfg Config) (warnings []error, err error) {
	proc.Stop()
	return proc.Startup(cfg)
}
