// Command channelbench runs the channel workloads of channel_bench.cc on Go's
// own channels, so that the two can be compared on one machine.
//
// Each workload moves N messages (T = 4 goroutines a side) at capacity 0, 1
// and N, and prints one line: its name, as channel_bench names it, and the
// wall-clock nanoseconds per message, goroutine start-up included.
//
//	go run . -messages=1000000
//	go run . -filter=spsc
//
// N is 1,000,000 unless -messages or SHAREMEM_BENCH_MESSAGES says otherwise.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const threads = 4

type message = uint64

// seq: one goroutine sends N, then receives N.
func seq(c []chan message, perThread int) {
	for i := 0; i < perThread*threads; i++ {
		c[0] <- message(i)
	}
	for i := 0; i < perThread*threads; i++ {
		<-c[0]
	}
}

// spsc: one sender goroutine, one receiver.
func spsc(c []chan message, perThread int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < perThread*threads; i++ {
			c[0] <- message(i)
		}
	}()
	for i := 0; i < perThread*threads; i++ {
		<-c[0]
	}
	wg.Wait()
}

// mpsc: T senders, one receiver.
func mpsc(c []chan message, perThread int) {
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perThread; i++ {
				c[0] <- message(i)
			}
		}()
	}
	for i := 0; i < perThread*threads; i++ {
		<-c[0]
	}
	wg.Wait()
}

// mpmc: T senders, T receivers.
func mpmc(c []chan message, perThread int) {
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < perThread; i++ {
				c[0] <- message(i)
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < perThread; i++ {
				<-c[0]
			}
		}()
	}
	wg.Wait()
}

// selectRx: T senders, each on its own channel; one receiver selects over
// the T channels.
func selectRx(c []chan message, perThread int) {
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func(c chan message) {
			defer wg.Done()
			for i := 0; i < perThread; i++ {
				c <- message(i)
			}
		}(c[t])
	}
	for i := 0; i < perThread*threads; i++ {
		select {
		case <-c[0]:
		case <-c[1]:
		case <-c[2]:
		case <-c[3]:
		}
	}
	wg.Wait()
}

// selectBoth: T senders and T receivers, all selecting over T channels.
func selectBoth(c []chan message, perThread int) {
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < perThread; i++ {
				m := message(i)
				select {
				case c[0] <- m:
				case c[1] <- m:
				case c[2] <- m:
				case c[3] <- m:
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < perThread; i++ {
				select {
				case <-c[0]:
				case <-c[1]:
				case <-c[2]:
				case <-c[3]:
				}
			}
		}()
	}
	wg.Wait()
}

type workload struct {
	name     string
	run      func([]chan message, int)
	channels int
}

func main() {
	messages := 1000000
	if env := os.Getenv("SHAREMEM_BENCH_MESSAGES"); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil {
			fmt.Fprintf(os.Stderr, "SHAREMEM_BENCH_MESSAGES: %v\n", err)
			os.Exit(2)
		}
		messages = n
	}
	flag.IntVar(&messages, "messages", messages, "messages per workload")
	filter := flag.String("filter", "", "run only names containing this")
	flag.Parse()
	if messages < threads {
		fmt.Fprintf(os.Stderr, "messages must be at least %d\n", threads)
		os.Exit(2)
	}
	perThread := messages / threads

	workloads := []workload{
		{"spsc", spsc, 1},
		{"mpsc", mpsc, 1},
		{"mpmc", mpmc, 1},
		{"select_rx", selectRx, threads},
		{"select_both", selectBoth, threads},
	}
	for _, capacity := range []string{"0", "1", "N"} {
		size := perThread * threads
		if capacity != "N" {
			size, _ = strconv.Atoi(capacity)
		}
		list := workloads
		if capacity == "N" {
			list = append([]workload{{"seq", seq, 1}}, workloads...)
		}
		for _, w := range list {
			name := fmt.Sprintf("go/%s/cap:%s", w.name, capacity)
			if !strings.Contains(name, *filter) {
				continue
			}

			// Make the channels, untimed. Fill and drain each buffer
			// once, so that the timed run does not pay the first touch
			// of its memory pages (channel_bench does the same).
			c := make([]chan message, w.channels)
			for i := range c {
				c[i] = make(chan message, size)
				for j := 0; j < size; j++ {
					c[i] <- 0
				}
				for j := 0; j < size; j++ {
					<-c[i]
				}
			}
			start := time.Now()
			w.run(c, perThread)
			elapsed := time.Since(start)
			fmt.Printf("%-28s %10.1f ns/msg\n", name,
				float64(elapsed.Nanoseconds())/float64(perThread*threads))
		}
	}
}
