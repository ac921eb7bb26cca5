"""TEST ONLY models: people pushed as `learner` records, with a child table and a lookup.

- `Person` is the root of the learner record.
- `Residence` is a declared source: its changes affect its person's record
  (province_code is the latest residence's).
- `Ethnicity` is deliberately NOT a declared source: a fix there is invisible to the
  triggers, which is what the "retry after fix" action is for.
"""

from django.db import models


class Ethnicity(models.Model):
    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.code


class Person(models.Model):
    national_id = models.CharField(max_length=20, null=True, blank=True, unique=True)
    code = models.CharField(max_length=20)
    full_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    gender = models.CharField(max_length=6, default="female")
    ethnicity = models.ForeignKey(Ethnicity, on_delete=models.PROTECT, null=True, blank=True)
    nationality = models.CharField(max_length=2, default="VN")

    def __str__(self):
        return self.full_name


class Residence(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    province_code = models.CharField(max_length=2)
    since = models.DateField()

    def __str__(self):
        return f"{self.person_id} {self.province_code}"
