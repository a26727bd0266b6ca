module sharemem/bench/go

go 1.19
