package proxymodel

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// DefaultDNSPort is the port of a nameserver given without one.
const DefaultDNSPort = 53

// glibc's caps on the numeric options (resolv.h RES_MAXRETRANS etc.).
const (
	maxTimeout  = 30
	maxAttempts = 5
	maxNdots    = 15
)

// Nameserver is one usable nameserver line.
type Nameserver struct {
	ID   string // the address as written, HAProxy's nameserver id
	Addr netip.AddrPort
	Line int
}

// ResolvOptions holds the values of "options" lines. Numeric options are
// capped as glibc caps them; zero means not set.
type ResolvOptions struct {
	Timeout  int      // seconds
	Attempts int      // tries per nameserver
	Ndots    int      // dots before an absolute lookup
	Flags    []string // other options, kept as written (glibc ignores unknown ones)
}

// ResolvConf is what ParseResolvConf understood.
type ResolvConf struct {
	Nameservers []Nameserver
	Search      []string // from the last search or domain line
	Options     ResolvOptions
}

// Problem is a line ParseResolvConf could not use.
type Problem struct {
	Line   int
	Text   string
	Reason string
}

func (p Problem) String() string {
	return fmt.Sprintf("line %d: %s: %q", p.Line, p.Reason, p.Text)
}

// ParseError lists the problems of a resolv.conf, in line order.
type ParseError struct {
	Problems []Problem
}

func (e *ParseError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "resolv.conf: " + strings.Join(parts, "; ")
}

// ParseResolvConf parses a resolv.conf. It always returns what it could use;
// the error, a *ParseError, lists the lines it could not. Comments start with
// '#' or ';'; "nameserver", "search", "domain", "options" and "sortlist" are
// understood. A nameserver address is an IPv4 or IPv6 address, optionally
// with a port as HAProxy writes them ("1.2.3.4:53", "[::1]:53").
func ParseResolvConf(data []byte) (*ResolvConf, error) {
	conf := &ResolvConf{}
	var problems []Problem
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1) // a line may be as long as the file
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if reason := conf.parseLine(text, line); reason != "" {
			problems = append(problems, Problem{Line: line, Text: text, Reason: reason})
		}
	}
	if problems != nil {
		return conf, &ParseError{Problems: problems}
	}
	return conf, nil
}

// parseLine adds what line says to conf, or returns why it cannot.
func (conf *ResolvConf) parseLine(text string, line int) string {
	fields := strings.Fields(text)
	if len(fields) == 0 || fields[0][0] == '#' || fields[0][0] == ';' {
		return ""
	}
	args := fields[1:]
	switch fields[0] {
	case "nameserver":
		if len(args) != 1 {
			return "nameserver needs exactly one address"
		}
		addr, err := parseNameserverAddr(args[0])
		if err != nil {
			return err.Error()
		}
		conf.Nameservers = append(conf.Nameservers, Nameserver{ID: args[0], Addr: addr, Line: line})
	case "search":
		if len(args) == 0 {
			return "search needs a domain"
		}
		conf.Search = args
	case "domain":
		if len(args) != 1 {
			return "domain needs exactly one domain"
		}
		conf.Search = args
	case "options":
		for _, opt := range args {
			if reason := conf.Options.set(opt); reason != "" {
				return reason
			}
		}
	case "sortlist":
		// Accepted and ignored: it orders answers, not servers.
	default:
		return "unknown keyword"
	}
	return ""
}

// set records one option, or returns why it cannot.
func (o *ResolvOptions) set(opt string) string {
	name, value, hasValue := strings.Cut(opt, ":")
	var field *int
	var limit int
	switch name {
	case "timeout":
		field, limit = &o.Timeout, maxTimeout
	case "attempts":
		field, limit = &o.Attempts, maxAttempts
	case "ndots":
		field, limit = &o.Ndots, maxNdots
	default:
		o.Flags = append(o.Flags, opt)
		return ""
	}
	n, err := strconv.Atoi(value)
	if !hasValue || err != nil || n < 0 {
		return fmt.Sprintf("option %s needs a number: %q", name, opt)
	}
	*field = min(n, limit)
	return ""
}

// parseNameserverAddr parses "addr", "addr:port", "[v6]" or "[v6]:port".
func parseNameserverAddr(s string) (netip.AddrPort, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a, DefaultDNSPort), nil
	}
	if inner, ok := strings.CutPrefix(s, "["); ok {
		if inner, ok := strings.CutSuffix(inner, "]"); ok {
			if a, err := netip.ParseAddr(inner); err == nil && a.Is6() {
				return netip.AddrPortFrom(a, DefaultDNSPort), nil
			}
		}
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad nameserver address %q", s)
	}
	if ap.Port() == 0 {
		return netip.AddrPort{}, fmt.Errorf("bad nameserver port in %q", s)
	}
	return ap, nil
}
