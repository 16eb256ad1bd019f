//! Reading a model's fields from its input: the field loop over a mapping (compiled apart for
//! alias paths and for `ValidationInfo` frames), defaults, alias paths, extra keys, and the
//! same for a JSON object of the parse tree.

use super::*;

impl ModelValidator {
    /// The fields read from `source` into a new instance, or into `target` when given (then
    /// nothing is stored unless every field is valid, and no temporary instance of the user's
    /// class is made: its `__del__` must not run for one).
    #[inline(always)]
    pub(super) fn fields_from<'py, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
        sink: K,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.field_info {
            return self.fields_framed(py, source, state, sink);
        }
        if self.class.has_paths {
            self.read_source::<true, false, S, K>(py, source, state, sink)
        } else {
            self.read_source::<false, false, S, K>(py, source, state, sink)
        }
    }

    /// `fields_from` for `field_info` models: the loop that keeps `info.data` and the frame.
    #[cold]
    #[inline(never)]
    pub(super) fn fields_framed<'py, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
        sink: K,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.read_source::<true, true, S, K>(py, source, state, sink)
    }

    /// A new `info.data` dict, and the `ValidationInfo` frame of this model opened on it.
    fn info_data<'py>(&self, py: Python<'py>, state: &mut State) -> Bound<'py, PyDict> {
        let data = PyDict::new(py);
        state.frame = Some(self.open_frame(py, &data));
        data
    }

    /// `fields_from`, compiled apart for each case: `PATHS` says some field may read alias
    /// paths, `INFO` that validators see `ValidationInfo` (without either, the loop has no
    /// trace of it).
    pub(super) fn read_source<
        'py,
        const PATHS: bool,
        const INFO: bool,
        S: Source<'py>,
        K: Sink<'py>,
    >(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
        mut sink: K,
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut errors = Errors::default();
        let mut used = 0usize;
        let mut unset = Unset::default();
        // per field: None when absent, else whether the value came by the alias (kept only
        // when extra keys matter)
        let track = self.class.extra != Extra::Ignore;
        let mut taken: smallvec::SmallVec<[Option<bool>; 16]> = if track {
            smallvec::SmallVec::from_elem(None, self.checks.len())
        } else {
            smallvec::SmallVec::new()
        };
        // info.data: the live dict of the fields valid so far
        let so_far = if INFO {
            Some(self.info_data(py, state))
        } else {
            None
        };
        let so_far = so_far.as_ref();
        // (field, choice) of the alias paths that gave a value: their first keys are used
        let mut path_keys: Vec<(usize, usize)> = Vec::new();
        for (index, (field, check)) in self.fields().enumerate() {
            if INFO {
                enter_field(py, state, field);
            }
            if PATHS && !field.paths.is_empty() {
                let hit = self.find_by_paths(py, source, field)?;
                if let Some((choice, raw)) = hit {
                    used += 1;
                    if track {
                        taken[index] = Some(choice.is_some());
                        path_keys.extend(choice.map(|c| (index, c)));
                    }
                    match check.validator.validate(py, Input::Py(&raw), state) {
                        Ok(value) => {
                            record(py, so_far, field, &value)?;
                            sink.put(py, &self.class, index, value)?
                        }
                        Err(err) => {
                            let err = check.customise(py, err);
                            match choice {
                                Some(c) => {
                                    let path = &field.paths[c];
                                    let err = path.locate_inner(py, err);
                                    errors.absorb(err, || path.first_loc(py))?;
                                }
                                None => errors.absorb(err, || {
                                    Loc::Key(field.name.clone_ref(py).into_any())
                                })?,
                            }
                        }
                    }
                    continue;
                }
                unset.set(index);
                let target = (&mut sink, index, so_far);
                self.take_default(py, source, field, check, state, target, &mut errors)?;
                continue;
            }
            let (found, alias_used) = match &field.alias {
                Some((alias, alias_str)) => match source.get(py, alias, alias_str)? {
                    Some(v) => (Some(v), true),
                    None if self.class.populate_by_name => {
                        (source.get(py, &field.name, &field.name_str)?, false)
                    }
                    None => (None, false),
                },
                None => (source.get(py, &field.name, &field.name_str)?, false),
            };
            match found {
                Some(raw) => {
                    used += 1;
                    if track {
                        taken[index] = Some(alias_used);
                    }
                    // borrowed is safe only if nothing below can run user code
                    let owned = check.borrow_unsafe.then(|| raw.to_owned());
                    let raw: &Bound<'py, PyAny> = owned.as_ref().unwrap_or(&raw);
                    match check.run(py, raw, state) {
                        Ok(value) => {
                            if INFO {
                                record(py, so_far, field, &value)?;
                            }
                            sink.put(py, &self.class, index, value)?
                        }
                        Err(err) => {
                            let key = field.key_for(alias_used);
                            errors.absorb(check.customise(py, err), || {
                                Loc::Key(key.clone_ref(py).into_any())
                            })?;
                        }
                    }
                }
                None => {
                    unset.set(index);
                    let target = (&mut sink, index, so_far);
                    self.take_default(py, source, field, check, state, target, &mut errors)?;
                }
            }
        }
        state.add_fields_set(used); // unions prefer the model that took more fields
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if self.class.extra != Extra::Ignore && used < source.len() {
            for (key, value) in source.items(py)? {
                if self.was_taken(&key, &taken, &path_keys) {
                    continue;
                }
                self.handle_extra(py, key, value, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        // an empty vector owns no memory: forgetting it skips a drop call and leaks nothing
        std::mem::forget(errors);
        Ok(sink.finish(py, &self.class, extras, &unset)?)
    }

    /// Did this very key give a field its value? A field's name given beside its alias did
    /// not (the alias wins), so it is an extra key like any other.
    pub(super) fn was_taken(
        &self,
        key: &Bound<'_, PyAny>,
        taken: &[Option<bool>],
        path_keys: &[(usize, usize)],
    ) -> bool {
        let Ok(text) = key.downcast::<PyString>().map(|s| s.to_str()) else {
            return false;
        };
        let Ok(text) = text else { return false };
        self.key_taken(text, taken, path_keys)
    }

    /// `was_taken` for a key's text: it gave a field its value, or starts an alias path that did.
    pub(super) fn key_taken(
        &self,
        text: &str,
        taken: &[Option<bool>],
        path_keys: &[(usize, usize)],
    ) -> bool {
        let by_path = || {
            path_keys
                .iter()
                .any(|&(field, choice)| self.class.fields[field].paths[choice].first().1 == text)
        };
        match self.class.field_for_key_from(text, 0) {
            Some((index, via_alias)) if taken[index] == Some(via_alias) => true,
            _ => by_path(),
        }
    }

    /// A field the input did not give: its default (validated with `validate_default`), or a
    /// `missing` error.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(super) fn take_default<'py, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        field: &Field,
        check: &FieldCheck,
        state: &mut State,
        (sink, index, so_far): (&mut K, usize, Option<&Bound<'py, PyDict>>),
        errors: &mut Errors,
    ) -> PyResult<()> {
        match check.default_of(py, field, state) {
            Ok(Some(value)) => {
                record(py, so_far, field, &value)?;
                sink.put(py, &self.class, index, value)?
            }
            Ok(None) => {
                let whole = self.masked(py, source.whole(py)?)?;
                errors.push(check.missing(py, field, whole));
            }
            Err(err) => errors.absorb(check.customise(py, err), || {
                Loc::Key(field.name.clone_ref(py).into_any())
            })?,
        }
        Ok(())
    }

    /// A field read by alias paths: the value of the first path found, with its choice, else
    /// (`populate_by_name`) the value under the field's name (choice `None`).
    pub(super) fn find_by_paths<'py, S: Source<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        field: &Field,
    ) -> PyResult<Option<(Option<usize>, Bound<'py, PyAny>)>> {
        for (choice, path) in field.paths.iter().enumerate() {
            let (key, text) = path.first();
            let Some(top) = source.get(py, key, text)? else {
                continue;
            };
            if let Some(value) = path.follow(top.to_owned())? {
                return Ok(Some((Some(choice), value)));
            }
        }
        if self.class.populate_by_name {
            if let Some(value) = source.get(py, &field.name, &field.name_str)? {
                return Ok(Some((None, value.to_owned())));
            }
        }
        Ok(None)
    }

    #[cold]
    #[inline(never)]
    pub(super) fn json_object_framed<'py>(
        &self,
        py: Python<'py>,
        pairs: &[(std::borrow::Cow<'_, str>, JsonValue<'_>)],
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.validate_json_object::<true>(py, pairs, state)
    }

    pub(super) fn validate_json_object<'py, const INFO: bool>(
        &self,
        py: Python<'py>,
        pairs: &[(std::borrow::Cow<'_, str>, JsonValue<'_>)],
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut values: Vec<Bound<'py, PyAny>> = Vec::with_capacity(self.checks.len());
        let mut errors = Errors::default();
        let mut taken: smallvec::SmallVec<[Option<bool>; 16]> =
            smallvec::SmallVec::from_elem(None, self.checks.len());
        let mut unset = Unset::default();
        let find = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v)
        };
        let so_far = if INFO {
            Some(self.info_data(py, state))
        } else {
            None
        };
        let so_far = so_far.as_ref();
        let mut path_keys: Vec<(usize, usize)> = Vec::new();
        for (index, (field, check)) in self.fields().enumerate() {
            if INFO {
                enter_field(py, state, field);
            }
            let mut choice = None;
            let (found, alias_used) = match &field.alias {
                _ if !field.paths.is_empty() => {
                    let hit = field
                        .paths
                        .iter()
                        .enumerate()
                        .find_map(|(c, path)| path.follow_json(pairs).map(|v| (c, v)));
                    match hit {
                        Some((c, value)) => {
                            choice = Some(c);
                            path_keys.push((index, c));
                            (Some(value), true)
                        }
                        None if self.class.populate_by_name => (find(&field.name_str), false),
                        None => (None, false),
                    }
                }
                Some((_, alias)) => match find(alias) {
                    Some(v) => (Some(v), true),
                    None if self.class.populate_by_name => (find(&field.name_str), false),
                    None => (None, false),
                },
                None => (find(&field.name_str), false),
            };
            if found.is_some() {
                taken[index] = Some(alias_used);
                state.add_fields_set(1); // unions prefer the model that took more fields
            }
            match found {
                Some(raw) => match check.validator.validate(py, Input::Json(raw), state) {
                    Ok(value) => {
                        if INFO {
                            record(py, so_far, field, &value)?;
                        }
                        values.push(value)
                    }
                    Err(err) => match choice {
                        Some(c) => {
                            let path = &field.paths[c];
                            let err = path.locate_inner(py, check.customise(py, err));
                            errors.absorb(err, || path.first_loc(py))?;
                        }
                        None => {
                            let key = field.key_for(alias_used);
                            errors.absorb(check.customise(py, err), || {
                                Loc::Key(key.clone_ref(py).into_any())
                            })?;
                        }
                    },
                },
                None => match check.default_of(py, field, state) {
                    Err(err) => errors.absorb(check.customise(py, err), || {
                        Loc::Key(field.name.clone_ref(py).into_any())
                    })?,
                    Ok(Some(value)) => {
                        unset.set(index);
                        record(py, so_far, field, &value)?;
                        values.push(value)
                    }
                    Ok(None) => {
                        let whole = PyDict::new(py);
                        for (k, v) in pairs {
                            whole.set_item(k.as_ref(), json_to_py(py, v)?)?;
                        }
                        let whole = self.masked(py, whole.into_any().unbind())?;
                        errors.push(check.missing(py, field, whole));
                    }
                },
            }
        }
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if self.class.extra != Extra::Ignore {
            // json.loads semantics for repeated keys: first position, last value
            let unknown = PyDict::new(py);
            for (key, value) in pairs.iter() {
                if !self.key_taken(key, &taken, &path_keys) {
                    unknown.set_item(key.as_ref(), json_to_py(py, value)?)?;
                }
            }
            for (key, value) in unknown.iter() {
                self.handle_extra(py, key, value, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        let instance = self.class.instantiate(py, values, extras)?;
        self.class.record_given(py, &instance, &unset)?;
        Ok(instance)
    }

    /// An input key that feeds no field: an error, kept, or dropped, as `extra` says.
    pub(super) fn handle_extra<'py>(
        &self,
        py: Python<'py>,
        key: Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
        extras: &mut Option<Bound<'py, PyDict>>,
        errors: &mut Errors,
    ) {
        match self.class.extra {
            Extra::Forbid => {
                let mut line = LineError {
                    kind: "extra_forbidden".into(),
                    loc: smallvec::SmallVec::new(),
                    input: value.unbind(),
                    ctx: None,
                    msg: None,
                };
                line.loc.push(Loc::Key(key.unbind()));
                errors.push(line);
            }
            Extra::Allow => {
                let dict = extras.get_or_insert_with(|| PyDict::new(py));
                let _ = dict.set_item(key, value);
            }
            Extra::Ignore => {}
        }
    }
}

/// `info.field_name`: the field being validated now (the frame is open while `INFO` loops run).
#[inline(always)]
fn enter_field(py: Python<'_>, state: &mut State, field: &Field) {
    if let Some(frame) = state.frame.as_mut() {
        frame.field_name = field.name.clone_ref(py).into_any();
    }
}

/// `info.data`: a field's valid value into the dict of those so far (when validators see it).
#[inline(always)]
fn record<'py>(
    py: Python<'py>,
    so_far: Option<&Bound<'py, PyDict>>,
    field: &Field,
    value: &Bound<'py, PyAny>,
) -> PyResult<()> {
    match so_far {
        Some(data) => data.set_item(field.name.bind(py), value),
        None => Ok(()),
    }
}
