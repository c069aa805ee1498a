-- The employer's tab counts split its applications in publicity into those still running (公示中)
-- and those whose period is over (待推荐). Over ones pile up until the employer decides; running
-- ones are only those publicised within the last few working days. So the count reads the running
-- ones, a short range of this index, and the over ones are the state's counter less that.
CREATE INDEX applications_publicity_ends ON applications(employer_id, state, publicity_ends_on);
