package listkind

import (
	"container/list"
	"sync"
)

type Job struct{ id int }

type Queue struct {
	jobs *list.List
	pool sync.Pool
}

func (q *Queue) bugPush(j *Job) { // want bugPush:"free p1"
	q.jobs.PushBack(j)
	q.pool.Put(j) // want `j freed by q.pool.Put while still in index Queue.jobs \(inserted by q.jobs.PushBack at listkind.go:16\)`
}

func (q *Queue) okPushRemove(j *Job) { // want okPushRemove:"free p1 after delete _ from Queue\\.jobs; delete _ from Queue\\.jobs"
	e := q.jobs.PushFront(j)
	q.jobs.Remove(e)
	q.pool.Put(j)
}

func (q *Queue) bugDrain() {
	for e := q.jobs.Front(); e != nil; e = e.Next() {
		j := e.Value.(*Job)
		q.pool.Put(j) // want `j freed by q.pool.Put while still in index Queue.jobs \(read from it at listkind.go:28\)`
	}
}

func (q *Queue) okDrain() { // want okDrain:"delete _ from Queue\\.jobs"
	for e := q.jobs.Front(); e != nil; {
		next := e.Next()
		j := q.jobs.Remove(e).(*Job)
		q.pool.Put(j)
		e = next
	}
}

func (q *Queue) okReset(j *Job) { // want okReset:"free p1 after delete _ from Queue\\.jobs; delete _ from Queue\\.jobs"
	q.jobs.InsertBefore(j, q.jobs.Front())
	q.jobs.Init()
	q.pool.Put(j)
}
