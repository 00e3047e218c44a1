// Package proxymodel is a small, executable model of the HAProxy code behind
// issue 2942: a proxy freed while the proxy name index still pointed at it.
//
// # What is modelled
//
//   - NameTree and NameNode: an ordered name index after HAProxy's ebtree.
//     The node is intrusive (embedded in Proxy as its byName field), knows its
//     tree and parent, so NameNode.Delete needs nothing else, and points back
//     at its proxy (HAProxy's container_of). Duplicates are allowed.
//   - Pool: HAProxy-style pools with poisoning. Free fills the proxy with a
//     poison pattern, garbles the node's links and keeps the object on a free
//     list; Alloc reuses the most recently freed object first. A tree
//     operation that reaches a poisoned node, or a node whose memory was
//     reused while the tree still linked it, panics with a *UseAfterFreeError
//     instead of corrupting the tree.
//   - Process: the globals of one HAProxy process (proxy_by_name, the pool,
//     the resolvers sections) as one value, with HAProxy's functions as
//     methods: AllocNewProxy → setupNewProxy → proxyStoreName →
//     NameTree.Insert, FindProxyByName, DeinitProxy.
//   - Resolvers: sections that own a proxy; ResolversCreateDefault builds the
//     implicit "default" section from resolv.conf, read through an fs.FS, and
//     destroys it again when the file is missing, unreadable, or lists no
//     usable nameserver. ParseResolvConf is the parser.
//   - Startup, Stop and Reload run a tiny configuration.
//
// # The bug and the fix
//
// In HAProxy, with no /etc/resolv.conf, resolvers_create_default() created the
// "default" section (resolvers_new → alloc_new_proxy → setup_new_proxy →
// proxy_store_name, which inserts the proxy's name node into proxy_by_name),
// failed to find a nameserver and destroyed the section; deinit_proxy() freed
// the proxy without ebpt_delete(). The next insert walked into freed memory.
// DeinitProxy here deletes the node first, which is the fix. The buggy copy
// lives in testdata/src/resolvconf; the crash test in this package runs it
// and checks that it panics at the insert with the expected stack.
//
// The functions that insert, delete and free carry //lifecycle: directives,
// so lifecyclecheck can check this package and the buggy copy.
package proxymodel
