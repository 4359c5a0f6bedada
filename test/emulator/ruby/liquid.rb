# Renders message templates with the real Liquid gem (Debian's ruby-liquid 5.4.0, the version
# Chatwoot pins) the way Chatwoot's Liquidable concern does (app/models/concerns/liquidable.rb):
# code spans wrapped in {% raw %}, Template.parse then render with the message drops, and the content
# kept as written when Liquid raises. The drops below follow app/drops/*.rb, fed with plain records.
# Reads { "records": {...}, "templates": ["..."] } on stdin; prints the rendered templates as JSON.
require "json"
require "liquid"

class RecordDrop < Liquid::Drop
  def initialize(record)
    @record = record || {}
  end

  def id
    @record["id"]
  end

  def name
    @record["name"]
  end

  private

  def words
    @record["name"]&.split
  end

  def capitalized_words
    words&.map(&:capitalize)&.join(" ")
  end
end

class PersonDrop < RecordDrop
  def name
    capitalized_words
  end

  def email
    @record["email"]
  end

  def first_name
    words&.first&.capitalize
  end

  def last_name
    words.last.capitalize if words.to_a.size > 1
  end
end

class ContactRecordDrop < PersonDrop
  def phone_number
    @record["phone_number"]
  end

  def custom_attribute
    (@record["custom_attributes"] || {}).transform_keys(&:to_s)
  end
end

class AgentRecordDrop < PersonDrop
  def available_name
    display = @record["display_name"]
    display.nil? || display.strip.empty? ? @record["name"] : display
  end
end

class ConversationRecordDrop < RecordDrop
  def display_id
    @record["display_id"]
  end

  def contact_name
    @record["contact_name"]&.capitalize || "Customer"
  end

  def custom_attribute
    (@record["custom_attributes"] || {}).transform_keys(&:to_s)
  end
end

input = JSON.parse($stdin.read)
records = input.fetch("records")
drops = {
  "contact" => ContactRecordDrop.new(records["contact"]),
  "agent" => AgentRecordDrop.new(records["agent"]),
  "conversation" => ConversationRecordDrop.new(records["conversation"]),
  "inbox" => RecordDrop.new(records["inbox"]),
  "account" => RecordDrop.new(records["account"])
}
rendered = input.fetch("templates").map do |content|
  begin
    Liquid::Template.parse(content.gsub(/`(.*?)`/m, '{% raw %}`\\1`{% endraw %}')).render(drops)
  rescue Liquid::Error
    content
  end
end
puts JSON.generate(rendered)
