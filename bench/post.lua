-- A self-check result (POST) for bench/run: an anonymous visitor's form with its signed token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.body = os.getenv("BENCH_BODY")
