package rules

import (
	"container/list"
	"sync"
)

// cacheKey identifies a compiled rule version.
type cacheKey struct {
	id      int64
	version int
}

// lru is a bounded, concurrency-safe cache of compiled programs.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used; values *lruEntry
	items map[cacheKey]*list.Element
}

type lruEntry struct {
	key cacheKey
	p   *Program
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *lru) get(k cacheKey) (*Program, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry).p, true
}

func (c *lru) put(k cacheKey, p *Program) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		el.Value.(*lruEntry).p = p
		c.order.MoveToFront(el)
		return
	}
	c.items[k] = c.order.PushFront(&lruEntry{k, p})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruEntry).key)
	}
}

func (c *lru) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
