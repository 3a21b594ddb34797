import fc from 'fast-check';

// An array or string given only a `maxLength` is generated up to that length: without this,
// fast-check's default size stops at about 10 items whatever the `maxLength` says, and a
// property test tests far less than it reads.
fc.configureGlobal({ defaultSizeToMaxWhenMaxSpecified: true });
